import { LOG_RANK } from "../context.js";
import type { ServerCore } from "../core.js";
import type { SessionRecord } from "../state/session.js";
import { type LiveEntry, LiveList } from "../util/live-list.js";
import type { Envelope } from "./envelope.js";
import { McpError, methodNotFound } from "./errors.js";
import { type InputChannel, unavailableChannel } from "./input-channel.js";
import { InputRequired } from "./input-required.js";
import {
  ErrorCode,
  errorResponse,
  isRequestId,
  type JsonRpcResponse,
  type RequestId,
  resultResponse,
} from "./jsonrpc.js";
import { LazyAbort } from "./lazy-abort.js";
import {
  declaresModernMeta,
  isRecord,
  META_PROTOCOL_VERSION,
  META_SERVER_INFO,
  type ModernRequestMeta,
  parseModernMeta,
  readProgressToken,
} from "./meta.js";
import { compose, type Dispatch, type Middleware, type Result } from "./middleware.js";
import {
  INPUT_REQUIRED_METHODS,
  InputRound,
  principalOf,
  RoundEnded,
  type RoundSettings,
} from "./mrtr.js";
import { OutgoingRequests } from "./outgoing.js";
import { RequestStateSealer, randomSecret } from "./request-state.js";
import type { RequestScope } from "./scope.js";
import type { Era } from "./versions.js";
import { isSharedResult, shareResult } from "./wire-json.js";

/** How one method is served: in which eras, and whether its results carry cache hints (modern). */
export interface MethodSpec {
  readonly eras: readonly Era[];
  readonly cacheable?: boolean;
  readonly handler: (scope: InternalScope) => Result | Promise<Result>;
}

export type MethodTable = ReadonlyMap<string, MethodSpec>;

/** The scope handlers see: the public one plus the envelope it came in. */
export interface InternalScope extends RequestScope {
  readonly envelope: Envelope;
}

/**
 * One request's scope. A class, not an object literal: `signal` is a getter
 * (the AbortController is made only when read), and V8 builds literals with
 * accessors slowly and straight into old space, which under load shows up as
 * frequent full garbage collections.
 */
class EngineScope implements InternalScope {
  readonly id: InternalScope["id"];
  readonly method: InternalScope["method"];
  readonly params: InternalScope["params"];
  readonly era: InternalScope["era"];
  readonly protocolVersion: InternalScope["protocolVersion"];
  readonly clientInfo: InternalScope["clientInfo"];
  readonly clientCapabilities: InternalScope["clientCapabilities"];
  readonly minLogRank: InternalScope["minLogRank"];
  readonly progressToken: InternalScope["progressToken"];
  readonly session: InternalScope["session"];
  readonly http: InternalScope["http"];
  readonly auth: InternalScope["auth"];
  readonly notify: InternalScope["notify"];
  readonly envelope: InternalScope["envelope"];
  readonly input: InternalScope["input"];
  readonly readResource: InternalScope["readResource"];
  readonly closeSSEStream: InternalScope["closeSSEStream"];
  readonly #abort: LazyAbort;

  constructor(abort: LazyAbort, fields: Omit<InternalScope, "signal">) {
    this.#abort = abort;
    // One by one, not Object.assign: the object keeps a small in-object layout.
    this.id = fields.id;
    this.method = fields.method;
    this.params = fields.params;
    this.era = fields.era;
    this.protocolVersion = fields.protocolVersion;
    this.clientInfo = fields.clientInfo;
    this.clientCapabilities = fields.clientCapabilities;
    this.minLogRank = fields.minLogRank;
    this.progressToken = fields.progressToken;
    this.session = fields.session;
    this.http = fields.http;
    this.auth = fields.auth;
    this.notify = fields.notify;
    this.envelope = fields.envelope;
    this.input = fields.input;
    this.readResource = fields.readResource;
    this.closeSSEStream = fields.closeSSEStream;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}

/** Why a request was aborted, so a cancelled request sends no response (legacy rule). */
class Cancelled extends Error {
  override readonly name = "Cancelled";
}

/** A request between its arrival and its answer: what `notifications/cancelled` and shutdown look for. */
interface RunningRequest {
  readonly channelId: string;
  readonly id: RequestId;
  readonly controller: LazyAbort;
}

const REQUEST_BEFORE_INITIALIZE =
  `Missing _meta["${META_PROTOCOL_VERSION}"]: send "initialize" first (protocol 2025-11-25 and earlier), ` +
  "or declare the protocol version and client capabilities in every request's _meta (2026-07-28)";

/**
 * The sans-IO protocol engine: takes one parsed JSON-RPC message and its
 * envelope, returns the response (if any). Notifications tied to a request go
 * out through the envelope's outbound channel while the request runs.
 */
export class Engine {
  readonly #core: ServerCore;
  readonly #methods: MethodTable;
  /** A list, not a Map keyed by channel and id: see `LiveList` (cancellations search it). */
  readonly #running = new LiveList<RunningRequest>();
  /** How many of the running requests are `subscriptions/listen` streams. */
  #listening = 0;
  #dispatch: Dispatch;
  readonly #middleware: Middleware[] = [];
  /** Legacy server-to-client requests waiting for the client's response. */
  readonly #outgoing: OutgoingRequests;
  readonly #rounds: RoundSettings;
  #sealer: RequestStateSealer | undefined;
  /** One abort listener per carrier signal (an HTTP response, a connection), whatever its requests. */
  readonly #carriers = new WeakMap<AbortSignal, LiveList<LazyAbort>>();
  /** 2026-07-28 decorations of shared (cached) results, made once per result. */
  readonly #decorated = new WeakMap<Result, Result>();

  constructor(core: ServerCore, methods: MethodTable) {
    this.#core = core;
    this.#methods = methods;
    this.#dispatch = this.#invoke;
    this.#outgoing = new OutgoingRequests(core.bus, core.logger);
    const { secret, ttlMs } = core.settings.requestState;
    // A given secret is checked now, so a bad one fails at startup, not at the first round.
    if (secret !== undefined) this.#sealer = new RequestStateSealer(secret);
    this.#rounds = { sealer: () => this.#requestStateSealer(), ttlMs };
  }

  #requestStateSealer(): RequestStateSealer {
    if (!this.#sealer) {
      this.#core.logger.info(
        "No requestStateSecret (or FASTMCP_REQUEST_STATE_SECRET) set: sealing 2026-07-28 " +
          "requestState with a random per-process key. Multi-process deployments need one shared secret.",
      );
      this.#sealer = new RequestStateSealer(randomSecret());
    }
    return this.#sealer;
  }

  use(middleware: Middleware): void {
    this.#middleware.push(middleware);
    this.#dispatch = compose(this.#middleware, this.#invoke);
  }

  /** Requests currently running (for graceful shutdown and tests). */
  get inFlightCount(): number {
    return this.#running.size;
  }

  /**
   * Waits until no request is running, or aborts the rest after `timeoutMs`.
   * Long-lived `subscriptions/listen` streams do not hold shutdown up.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#running.size > this.#listening && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.abortAll(new Error("Server is shutting down"));
  }

  /** Aborts every running request, e.g. on shutdown. */
  abortAll(reason: unknown): void {
    for (const request of this.#running) request.controller.abort(reason);
  }

  /** Releases what the engine holds beyond requests (the bus subscription for forwarded responses). */
  async close(): Promise<void> {
    await this.#outgoing.close();
  }

  /**
   * Handles one message that is already JSON-parsed. Never throws: every
   * failure becomes an error response (or nothing, for notifications).
   */
  async handle(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    if (!isRecord(message)) {
      return errorResponse(
        null,
        ErrorCode.InvalidRequest,
        Array.isArray(message)
          ? "Invalid request: JSON-RPC batches are not supported; send one message at a time"
          : "Invalid request: expected a JSON-RPC message object",
      );
    }
    const id = message.id;
    const hasId = "id" in message && id !== undefined;
    if (message.jsonrpc !== "2.0") {
      return errorResponse(
        hasId && isRequestId(id) ? id : null,
        ErrorCode.InvalidRequest,
        'Invalid request: "jsonrpc" must be "2.0"',
      );
    }
    if (typeof message.method !== "string") {
      if (hasId && ("result" in message || "error" in message)) {
        // The client's response to one of our requests; it may come on any channel of the session.
        await this.#outgoing.settle(message, envelope.sessionId ?? envelope.channelId);
        return undefined;
      }
      return errorResponse(
        hasId && isRequestId(id) ? id : null,
        ErrorCode.InvalidRequest,
        'Invalid request: "method" must be a string',
      );
    }
    if (!hasId) {
      await this.#notification(message.method, message.params, envelope);
      return undefined;
    }
    if (!isRequestId(id)) {
      return errorResponse(
        null,
        ErrorCode.InvalidRequest,
        'Invalid request: "id" must be a string or a number',
      );
    }
    if (message.params !== undefined && !isRecord(message.params)) {
      return errorResponse(
        id,
        ErrorCode.InvalidParams,
        'Invalid params: "params" must be an object',
      );
    }
    return this.#request(
      id,
      message.method,
      (message.params as Record<string, unknown>) ?? {},
      envelope,
    );
  }

  async #request(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
  ): Promise<JsonRpcResponse | undefined> {
    const controller = new LazyAbort();
    let listening = false;
    let running: LiveEntry | undefined;
    let following: LiveEntry | undefined;
    try {
      const pending = this.#scope(id, method, params, envelope, controller);
      const scope = pending instanceof Promise ? await pending : pending;
      const spec = this.#methods.get(method);
      if (!spec?.eras.includes(scope.era)) throw methodNotFound(method);
      running = this.#running.add({ channelId: envelope.channelId, id, controller });
      if (method === "subscriptions/listen") listening = true;
      if (listening) this.#listening++;
      if (envelope.signal) following = this.#follow(envelope.signal, controller);
      else envelope.onCarrierClose?.((reason) => controller.abort(reason));
      const result = await this.#dispatch(scope);
      if (controller.reason instanceof Cancelled) return undefined;
      // Work the handler left running in a round that ended is stopped.
      if (result.resultType === "input_required") controller.abort(new RoundEnded());
      return resultResponse(id, scope.era === "modern" ? this.#modernResult(result, spec) : result);
    } catch (error) {
      // A cancelled request is not answered, whatever its handler threw on the way out.
      if (controller.reason instanceof Cancelled) return undefined;
      // Aborted by shutdown or a vanished carrier: expected, so said without an alarm in the log.
      if (controller.aborted && error === controller.reason) {
        const why = error instanceof Error ? error.message : String(error);
        return errorResponse(id, ErrorCode.InternalError, `Request aborted: ${why}`);
      }
      return this.#errorFor(id, error);
    } finally {
      running?.remove();
      if (listening) this.#listening--;
      following?.remove();
    }
  }

  /** Aborts `controller` when the carrier's signal aborts. */
  #follow(carrier: AbortSignal, controller: LazyAbort): LiveEntry | undefined {
    if (carrier.aborted) {
      controller.abort(carrier.reason);
      return undefined;
    }
    let followers = this.#carriers.get(carrier);
    if (!followers) {
      const list = new LiveList<LazyAbort>();
      followers = list;
      this.#carriers.set(carrier, list);
      carrier.addEventListener(
        "abort",
        () => {
          for (const follower of list) follower.abort(carrier.reason);
        },
        { once: true },
      );
    }
    return followers.add(controller);
  }

  #invoke: Dispatch = async (scope) => {
    const spec = this.#methods.get(scope.method) as MethodSpec;
    const internal = scope as InternalScope;
    if (scope.era !== "modern" || !INPUT_REQUIRED_METHODS.has(scope.method)) {
      return spec.handler(internal);
    }
    // 2026-07-28: asks are rounds of this request, answered from its sealed requestState.
    const round = await InputRound.open(
      scope.method,
      scope.params,
      principalOf(scope.auth),
      this.#rounds,
    );
    (internal as { input?: InputChannel }).input = round;
    return round.run(
      async () => spec.handler(internal),
      scope.clientCapabilities,
      scope.protocolVersion,
    );
  };

  #errorFor(id: RequestId, error: unknown): JsonRpcResponse {
    if (error instanceof McpError) return errorResponse(id, error.code, error.message, error.data);
    if (error instanceof InputRequired) {
      // A modern-only answer to a legacy request: the handler's mistake, said plainly.
      this.#core.logger.warn(error.message);
      return errorResponse(id, ErrorCode.InternalError, error.message);
    }
    this.#core.logger.error("Unhandled error while serving a request", error);
    return errorResponse(
      id,
      ErrorCode.InternalError,
      this.#core.settings.maskErrorDetails
        ? "Internal error"
        : `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  /** Works out the era, version, client and session of a request. */
  /** Synchronous unless the session has to be loaded from the store: most requests wait for nothing. */
  #scope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
  ): InternalScope | Promise<InternalScope> {
    const meta = params._meta;
    if (envelope.modernMeta || declaresModernMeta(meta)) {
      return this.#buildScope(
        id,
        method,
        params,
        envelope,
        controller,
        "modern",
        envelope.modernMeta ?? parseModernMeta(meta as Record<string, unknown>),
        undefined,
      );
    }
    if (!envelope.session && envelope.sessionId !== undefined)
      return this.#core.sessions
        .get(envelope.sessionId)
        .then((session) => this.#legacyScope(id, method, params, envelope, controller, session));
    return this.#legacyScope(id, method, params, envelope, controller, envelope.session);
  }

  #legacyScope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
    session: SessionRecord | undefined,
  ): InternalScope {
    if (
      !session &&
      method !== "initialize" &&
      method !== "ping" &&
      envelope.legacyVersion === undefined
    ) {
      throw new McpError(ErrorCode.InvalidParams, REQUEST_BEFORE_INITIALIZE);
    }
    return this.#buildScope(id, method, params, envelope, controller, "legacy", undefined, session);
  }

  #buildScope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
    era: Era,
    modern: ModernRequestMeta | undefined,
    session: SessionRecord | undefined,
  ): InternalScope {
    const outbound = envelope.outbound;
    const scope: InternalScope = new EngineScope(controller, {
      id,
      method,
      params,
      era,
      protocolVersion:
        modern?.protocolVersion ??
        session?.protocolVersion ??
        envelope.legacyVersion ??
        "2025-11-25",
      clientInfo: modern ? modern.clientInfo : session?.clientInfo,
      clientCapabilities: modern ? modern.clientCapabilities : (session?.clientCapabilities ?? {}),
      minLogRank: modern
        ? modern.logLevel === undefined
          ? Number.POSITIVE_INFINITY
          : LOG_RANK[modern.logLevel]
        : session?.logLevel === undefined
          ? 0
          : LOG_RANK[session.logLevel],
      progressToken: modern ? modern.progressToken : readProgressToken(params._meta),
      session,
      http: envelope.http,
      auth: envelope.auth,
      notify: async (notificationMethod, notificationParams) => {
        if (controller.aborted) return;
        await outbound.send({
          jsonrpc: "2.0",
          method: notificationMethod,
          params: notificationParams,
        });
      },
      envelope,
      input:
        era === "legacy"
          ? envelope.noClientRequests !== undefined
            ? unavailableChannel(envelope.noClientRequests)
            : this.#outgoing.channel(
                outbound,
                envelope.sessionId ?? envelope.channelId,
                controller,
                this.#core.settings.clientRequestTimeoutMs,
              )
          : undefined,
      readResource: (uri) => this.#core.readResource(uri, scope),
      closeSSEStream: outbound.closeStream?.bind(outbound),
    });
    return scope;
  }

  #serverInfoMetaCache: Readonly<Record<string, unknown>> | undefined;

  /** `_meta` of a result that brings none: the same frozen object every time, as nothing adds to it. */
  #serverInfoMeta(): Readonly<Record<string, unknown>> {
    const serverInfo = this.#core.serverInfo;
    const cached = this.#serverInfoMetaCache;
    if (cached?.[META_SERVER_INFO] === serverInfo) return cached;
    this.#serverInfoMetaCache = Object.freeze({ [META_SERVER_INFO]: serverInfo });
    return this.#serverInfoMetaCache;
  }

  #modernResult(result: Result, spec: MethodSpec): Result {
    // A shared result (a cached list page) gets its decoration once, shared in turn.
    if (!isSharedResult(result)) return this.#decorate(result, spec);
    let decorated = this.#decorated.get(result);
    if (!decorated) {
      decorated = shareResult(this.#decorate(result, spec));
      this.#decorated.set(result, decorated);
    }
    return decorated;
  }

  #decorate(result: Result, spec: MethodSpec): Result {
    // Object.assign, not `{ ...result, more }`: V8 (Node 20) takes a slow path for a spread
    // followed by more keys, about 1 µs here against 50 ns.
    const decorated: Result = Object.assign({}, result);
    decorated.resultType = result.resultType ?? "complete";
    decorated._meta = isRecord(result._meta)
      ? Object.assign({}, result._meta, { [META_SERVER_INFO]: this.#core.serverInfo })
      : this.#serverInfoMeta();
    if (spec.cacheable && decorated.resultType === "complete") {
      decorated.ttlMs ??= this.#core.settings.cache.ttlMs;
      decorated.cacheScope ??= this.#core.settings.cache.scope;
    }
    return decorated;
  }

  async #notification(method: string, params: unknown, envelope: Envelope): Promise<void> {
    const p = isRecord(params) ? params : {};
    switch (method) {
      case "notifications/cancelled": {
        const requestId = p.requestId;
        if (!isRequestId(requestId)) return;
        const channelId = envelope.channelId;
        const request = this.#running.find((r) => r.id === requestId && r.channelId === channelId);
        const reason = typeof p.reason === "string" ? p.reason : "Cancelled by the client";
        request?.controller.abort(new Cancelled(reason));
        return;
      }
      case "notifications/initialized": {
        if (envelope.sessionId === undefined) return;
        const session = await this.#core.sessions.get(envelope.sessionId);
        if (session && !session.initialized) {
          session.initialized = true;
          await this.#core.sessions.set(session);
        }
        return;
      }
      default:
        return; // unknown notifications are ignored, as JSON-RPC requires
    }
  }
}
