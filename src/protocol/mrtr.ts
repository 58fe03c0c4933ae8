import { assertClientCan } from "../input/capabilities.js";
import { invalidParams } from "./errors.js";
import type { AskSlot, InputChannel, InputMethod } from "./input-channel.js";
import { type InputRequest, InputRequired } from "./input-required.js";
import { isRecord } from "./meta.js";
import type { Result } from "./middleware.js";
import { digest, type RequestStateSealer } from "./request-state.js";
import type { ClientCapabilities } from "./types.js";
import type { ProtocolVersion } from "./versions.js";

/** The 2026-07-28 methods that may answer `input_required` (and only these may). */
export const INPUT_REQUIRED_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "prompts/get",
  "resources/read",
]);

export interface RoundSettings {
  /** Created on first use, so servers that never ask never make a key. */
  readonly sealer: () => RequestStateSealer;
  readonly ttlMs: number;
}

/** An answer the client gave, and a digest of the question it answers. */
interface Answer {
  readonly d: string;
  readonly r: Record<string, unknown>;
}

/** What `requestState` carries between rounds. Sealed: the client cannot read or change it. */
interface SealedRound {
  readonly v: 1;
  /** Expiry, epoch milliseconds. */
  readonly exp: number;
  /** Digest of method, salient params and principal: state from another request is refused. */
  readonly bind: string;
  /** Answers the handler used, by ask key. */
  readonly answers: Record<string, Answer>;
  /** Questions sent in the last round, awaiting `inputResponses`, by ask key. */
  readonly asked: Record<string, string>;
  /** The handler's own state, from an explicit `inputRequired({ state })`. */
  readonly user?: unknown;
}

/**
 * Thrown by an unanswered ask to unwind the handler (its `finally` blocks
 * run). Whatever the handler does with it, the round ends `input_required`.
 */
export class InputRequiredSignal extends Error {
  override readonly name = "InputRequiredSignal";
  constructor(readonly key: string) {
    super(`Waiting for the client's answer to "${key}"; the request continues when it retries`);
  }
}

/**
 * True for what ends a round of a 2026-07-28 request: an unanswered ask's
 * signal, or an explicit `InputRequired`. A component's error handling lets
 * these through untouched (no error result, no wrapping, no error log), so
 * the engine answers `input_required` (or, in the legacy era, the
 * `InputRequired`'s own -32603).
 */
export function endsRound(error: unknown): error is InputRequiredSignal | InputRequired {
  return error instanceof InputRequiredSignal || error instanceof InputRequired;
}

/** Ends the previous round's work that outlived it (ctx.signal aborts with this). */
export class RoundEnded extends Error {
  override readonly name = "RoundEnded";
  constructor() {
    super(
      "This round of the request ended with input_required; the client retries with its answers",
    );
  }
}

const SHORT: Readonly<Record<InputMethod, string>> = {
  "elicitation/create": "elicit",
  "sampling/createMessage": "sample",
  "roots/list": "roots",
};

/** The answers of a first round: none (shared, never written to). */
const NO_ANSWERS: ReadonlyMap<string, Answer> = new Map();

const STATE_HINT =
  "Retry the original request without requestState and inputResponses to start over.";

/**
 * One round of a 2026-07-28 multi round-trip request. The handler runs from
 * the start every round; each ask is keyed by its place in the handler's
 * sequence of asks (`elicit-1`, `sample-2`, ...). An ask the client already
 * answered (same place, same question) is answered from the sealed state;
 * the first one that is not ends the round with `input_required`. Nothing
 * is kept in memory between rounds.
 */
export class InputRound implements InputChannel {
  readonly responses: Readonly<Record<string, unknown>> | undefined;
  readonly state: unknown;
  readonly #available: ReadonlyMap<string, Answer>;
  // Made on first use: most rounds (a call that asks nothing) never need them.
  #consumed: Map<string, Answer> | undefined;
  #outstanding: Map<string, { d: string; request: InputRequest }> | undefined;
  #inProgress: Promise<void>[] | undefined;
  readonly #bind: () => Promise<string>;
  readonly #settings: RoundSettings;
  #position = 0;

  private constructor(
    available: ReadonlyMap<string, Answer>,
    responses: Record<string, unknown> | undefined,
    state: unknown,
    bind: () => Promise<string>,
    settings: RoundSettings,
  ) {
    this.#available = available;
    this.responses = responses;
    this.state = state;
    this.#bind = bind;
    this.#settings = settings;
  }

  /** Reads `requestState` and `inputResponses`; refuses state that is forged, expired or another request's. */
  /**
   * The round a request is in. A first round (no `requestState`) opens
   * synchronously: most requests never ask, and a promise here would be one
   * more for every tools/call. Throws -32602 for malformed round params.
   */
  static open(
    method: string,
    params: Record<string, unknown>,
    principal: unknown,
    settings: RoundSettings,
  ): InputRound | Promise<InputRound> {
    let binding: Promise<string> | undefined;
    const bind = () => {
      binding ??= digest({ method, params: salient(params), principal });
      return binding;
    };
    const { requestState, inputResponses } = params;
    if (inputResponses !== undefined && !isRecord(inputResponses)) {
      throw invalidParams(
        '"inputResponses" must be an object mapping input request keys to results',
      );
    }
    if (requestState === undefined) {
      return new InputRound(NO_ANSWERS, inputResponses, undefined, bind, settings);
    }
    if (typeof requestState !== "string") throw invalidParams('"requestState" must be a string');
    return InputRound.#resume(requestState, inputResponses, bind, settings);
  }

  /** A later round: its sealed state opened and checked against this request. */
  static async #resume(
    requestState: string,
    inputResponses: Record<string, unknown> | undefined,
    bind: () => Promise<string>,
    settings: RoundSettings,
  ): Promise<InputRound> {
    const sealed = await settings.sealer().open(requestState);
    if (!isSealedRound(sealed)) {
      throw invalidParams(
        "Invalid requestState: this server did not issue it, or it was changed (servers behind a " +
          `load balancer need one shared requestStateSecret). ${STATE_HINT}`,
      );
    }
    const now = Date.now();
    if (sealed.exp <= now) {
      throw invalidParams(
        `Expired requestState: it expired ${Math.ceil((now - sealed.exp) / 1000)} s ago. ${STATE_HINT}`,
      );
    }
    if (sealed.bind !== (await bind())) {
      throw invalidParams(
        "Invalid requestState: it belongs to a different request (another method, other " +
          `arguments, or another user). ${STATE_HINT}`,
      );
    }
    const available = new Map(Object.entries(sealed.answers));
    for (const [key, question] of Object.entries(sealed.asked)) {
      const response = inputResponses?.[key];
      if (isRecord(response)) available.set(key, { d: question, r: response });
    }
    return new InputRound(available, inputResponses, sealed.user, bind, settings);
  }

  reserve(): AskSlot {
    this.#position += 1;
    const position = this.#position;
    let release = () => {};
    this.#inProgress ??= [];
    this.#inProgress.push(
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return {
      ask: async (method, params) => {
        try {
          const key = `${SHORT[method]}-${position}`;
          const request: InputRequest = params === undefined ? { method } : { method, params };
          const question = await digest(request);
          const answer = this.#available.get(key);
          if (answer && answer.d === question) {
            this.#consumed ??= new Map();
            this.#consumed.set(key, answer);
            return answer.r;
          }
          this.#outstanding ??= new Map();
          this.#outstanding.set(key, { d: question, request });
          throw new InputRequiredSignal(key);
        } finally {
          release();
        }
      },
      release: () => release(),
    };
  }

  /**
   * Runs the handler for this round. Its result stands when every ask was
   * answered; otherwise the answer is `input_required` with the open asks and
   * a freshly sealed state.
   */
  async run(
    handler: () => Result | Promise<Result>,
    capabilities: ClientCapabilities,
    version: ProtocolVersion,
  ): Promise<Result> {
    let result: Result | undefined;
    let failure: unknown;
    let failed = false;
    try {
      result = await handler();
    } catch (error) {
      failed = true;
      failure = error;
    }
    // Asks started in parallel may still be building their question.
    if (this.#inProgress !== undefined) await Promise.all(this.#inProgress);
    if (this.#outstanding !== undefined && this.#outstanding.size > 0) {
      const requests: Record<string, InputRequest> = {};
      const asked: Record<string, string> = {};
      for (const [key, { d, request }] of this.#outstanding) {
        requests[key] = request;
        asked[key] = d;
      }
      return this.#inputRequired(requests, asked, undefined);
    }
    const explicit = failed ? failure : result;
    if (explicit instanceof InputRequired) {
      for (const request of Object.values(explicit.inputRequests)) {
        assertClientCan(request.method, request.params, capabilities, version);
      }
      return this.#inputRequired({ ...explicit.inputRequests }, {}, explicit.state);
    }
    if (failed) throw failure;
    return result as Result;
  }

  async #inputRequired(
    requests: Record<string, InputRequest>,
    asked: Record<string, string>,
    user: unknown,
  ): Promise<Result> {
    const sealed: SealedRound = {
      v: 1,
      exp: Date.now() + this.#settings.ttlMs,
      bind: await this.#bind(),
      answers: Object.fromEntries(this.#consumed ?? []),
      asked,
      ...(user === undefined ? {} : { user }),
    };
    const result: Result = {
      resultType: "input_required",
      requestState: await this.#settings.sealer().seal(sealed),
    };
    if (Object.keys(requests).length > 0) result.inputRequests = requests;
    return result;
  }
}

/** The params that identify a request, without the parts that change between rounds. */
function salient(params: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _m, inputResponses: _i, requestState: _r, ...rest } = params;
  return rest;
}

function isSealedRound(value: unknown): value is SealedRound {
  return (
    isRecord(value) &&
    value.v === 1 &&
    typeof value.exp === "number" &&
    typeof value.bind === "string" &&
    isRecord(value.answers) &&
    isRecord(value.asked)
  );
}

/**
 * Who the request acts for, as far as authentication says, so state issued
 * to one user is refused for another. Identity claims when present; otherwise
 * the whole auth value.
 */
export function principalOf(auth: unknown): unknown {
  if (!isRecord(auth)) return auth ?? null;
  const identity: Record<string, unknown> = {};
  for (const key of ["subject", "sub", "clientId", "client_id", "issuer", "iss"]) {
    if (auth[key] !== undefined) identity[key] = auth[key];
  }
  return Object.keys(identity).length > 0 ? identity : auth;
}
