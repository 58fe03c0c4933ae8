import type { AccessToken } from "./auth/types.js";
import { assertClientCan } from "./input/capabilities.js";
import {
  compileForm,
  type ElicitContent,
  type ElicitResult,
  type ElicitSchema,
  type ElicitUrlResult,
  readAction,
  readElicitResult,
} from "./input/elicit.js";
import { readRoots } from "./input/roots.js";
import {
  readSampleResult,
  type SampleOptions,
  type SampleResult,
  type SamplingInput,
  samplingParams,
} from "./input/sample.js";
import type { AskOptions, AskSlot, InputMethod } from "./protocol/input-channel.js";
import type { RequestId } from "./protocol/jsonrpc.js";
import type { HttpInfo, RequestScope } from "./protocol/scope.js";
import type {
  ClientCapabilities,
  Implementation,
  LoggingLevel,
  ReadResourceResult,
  Root,
} from "./protocol/types.js";
import { LOGGING_LEVELS } from "./protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "./protocol/versions.js";

export const LOG_RANK: Readonly<Record<LoggingLevel, number>> = Object.fromEntries(
  LOGGING_LEVELS.map((level, rank) => [level, rank]),
) as Record<LoggingLevel, number>;

/** What a report that sends nothing resolves with: one settled promise, shared. */
const DONE: Promise<void> = Promise.resolve();

export interface LogOptions {
  /** The logger name clients show beside the message. */
  logger?: string;
  /** Structured fields sent with the message as `data`. */
  data?: Record<string, unknown>;
}

/** The legacy session a request belongs to (absent in the stateless 2026-07-28 era). */
export interface SessionContext {
  readonly id: string;
  /** Per-session state; keep it JSON-serializable so a shared store can hold it. */
  readonly state: Record<string, unknown>;
}

export interface ElicitUrlOptions extends AskOptions {
  /** Legacy era (2025-11-25): the id the client reports completion with. Default: a random UUID. */
  elicitationId?: string;
}

/**
 * How a handler talks back to the client: logs, progress, cancellation,
 * asking the user (elicitation), the client's model (sampling) and its roots,
 * and what is known about the request. `L` is the lifespan's value.
 */
export class Context<L = unknown> {
  readonly #scope: RequestScope;
  readonly lifespan: L;

  constructor(scope: RequestScope, lifespan: L) {
    this.#scope = scope;
    this.lifespan = lifespan;
  }

  /** Aborts when the client cancels the request or the server shuts down. */
  get signal(): AbortSignal {
    return this.#scope.signal;
  }
  get requestId(): RequestId {
    return this.#scope.id;
  }
  get protocolVersion(): ProtocolVersion {
    return this.#scope.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.#scope.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities {
    return this.#scope.clientCapabilities;
  }
  get session(): SessionContext | undefined {
    return this.#scope.session;
  }
  get http(): HttpInfo | undefined {
    return this.#scope.http;
  }
  /** The verified bearer token (HTTP behind a `tokenVerifier`); undefined on stdio and without auth. */
  get auth(): AccessToken | undefined {
    return this.#scope.auth as AccessToken | undefined;
  }

  /** Sends `notifications/message` at `level`, if the client asked for that level. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    // Not async: a message below the client's level costs no promise of its own.
    if (LOG_RANK[level] < this.#scope.minLogRank) return DONE;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    return this.#scope.notify("notifications/message", params);
  }

  #message(level: LoggingLevel, message: string, options: LogOptions | undefined): Promise<void> {
    const data = options?.data ? { message, ...options.data } : message;
    return this.log(level, data, options?.logger);
  }

  debug(message: string, options?: LogOptions): Promise<void> {
    return this.#message("debug", message, options);
  }
  info(message: string, options?: LogOptions): Promise<void> {
    return this.#message("info", message, options);
  }
  notice(message: string, options?: LogOptions): Promise<void> {
    return this.#message("notice", message, options);
  }
  warning(message: string, options?: LogOptions): Promise<void> {
    return this.#message("warning", message, options);
  }
  error(message: string, options?: LogOptions): Promise<void> {
    return this.#message("error", message, options);
  }
  critical(message: string, options?: LogOptions): Promise<void> {
    return this.#message("critical", message, options);
  }
  alert(message: string, options?: LogOptions): Promise<void> {
    return this.#message("alert", message, options);
  }
  emergency(message: string, options?: LogOptions): Promise<void> {
    return this.#message("emergency", message, options);
  }

  /**
   * Reads one of this server's own resources (static or templated), as a
   * client would: its contents, or the era's "Resource not found" error.
   */
  async readResource(uri: string): Promise<ReadResourceResult["contents"]> {
    return (await this.#scope.readResource(uri)).contents;
  }

  /**
   * Sends `notifications/progress` for this request. Does nothing when the
   * client gave no progress token.
   */
  reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    const token = this.#scope.progressToken;
    // Not async: handlers report progress on every call, and most calls carry no token.
    if (token === undefined) return DONE;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined && versionAtLeast(this.#scope.protocolVersion, "2025-03-26")) {
      params.message = message;
    }
    return this.#scope.notify("notifications/progress", params);
  }

  /**
   * Asks the user to fill in a form and waits for the answer. Accepted
   * content is validated with `schema` and typed from it; an answer that does
   * not fit throws `InvalidClientResponseError`. Throws `ClientCapabilityError`
   * when the client cannot take elicitation requests. Works in both eras: a
   * server-to-client request (legacy), or an `input_required` round (2026-07-28).
   */
  async elicit<const S extends ElicitSchema = undefined>(
    message: string,
    schema?: S,
    options?: AskOptions,
  ): Promise<ElicitResult<ElicitContent<S>>> {
    if (typeof message !== "string") throw new TypeError("ctx.elicit: message must be a string");
    const slot = this.#reserve("elicitation/create", { mode: "form" });
    try {
      const form = await compileForm(schema);
      // `mode` arrived in 2025-11-25; earlier clients know only forms.
      const params: Record<string, unknown> = versionAtLeast(this.protocolVersion, "2025-11-25")
        ? { mode: "form", message }
        : { message };
      params.requestedSchema = form.requested(this.protocolVersion);
      const response = await slot.ask("elicitation/create", params, options);
      return (await readElicitResult(response, form)) as ElicitResult<ElicitContent<S>>;
    } finally {
      slot.release();
    }
  }

  /**
   * URL-mode elicitation (2025-11-25 and later): asks the user to open `url`
   * for an interaction that must not pass through the client (credentials,
   * payments, third-party OAuth). `accept` means the user agreed to open it,
   * not that the interaction finished.
   */
  async elicitUrl(
    message: string,
    url: string | URL,
    options?: ElicitUrlOptions,
  ): Promise<ElicitUrlResult> {
    const slot = this.#reserve("elicitation/create", { mode: "url" });
    try {
      const href = new URL(url).href;
      const params: Record<string, unknown> = { mode: "url", message, url: href };
      if (this.#scope.era === "legacy") {
        params.elicitationId = options?.elicitationId ?? crypto.randomUUID();
      }
      return { action: readAction(await slot.ask("elicitation/create", params, options)) };
    } finally {
      slot.release();
    }
  }

  /**
   * Asks the client's model for a completion: one prompt or a conversation
   * (strings are user turns). Resolves with the model's message and `text`.
   */
  async sample(input: SamplingInput, options: SampleOptions = {}): Promise<SampleResult> {
    const slot = this.#reserve("sampling/createMessage", options as Record<string, unknown>);
    try {
      const params = samplingParams(input, options);
      return readSampleResult(await slot.ask("sampling/createMessage", params, options));
    } finally {
      slot.release();
    }
  }

  /** The client's roots: the directories and files it exposes to this server. */
  async listRoots(options?: AskOptions): Promise<Root[]> {
    const slot = this.#reserve("roots/list", undefined);
    try {
      return readRoots(await slot.ask("roots/list", undefined, options));
    } finally {
      slot.release();
    }
  }

  /**
   * Legacy Streamable HTTP (SEP-1699 polling): ends the HTTP response that
   * carries this request's messages now, while the handler goes on. The
   * client reconnects after the `retry` interval of the stream's priming
   * event (GET with `Last-Event-ID`) and receives what was sent meanwhile,
   * then the result. Use it to free a connection during long work.
   *
   * Resolves `true` once the stream is closed; `false`, doing nothing, where
   * the client could not resume it: stdio and in-memory transports, 2026-07-28
   * requests, JSON responses, no event store, or clients older than
   * 2025-11-25 (they get no priming event to resume from).
   */
  async closeSSEStream(): Promise<boolean> {
    return (await this.#scope.closeSSEStream?.()) ?? false;
  }

  /**
   * Tasks extension (2026-07-28), for a tool declared with
   * `task: { mode, inputFirst: true }`: answers the tools/call now with a
   * task, and the rest of the handler runs as that task. Asks before this
   * call were ordinary rounds of the tools/call; asks after it park the task
   * (`input_required`) until tasks/update answers them. Resolves `true` once
   * the task exists (or already did); `false`, changing nothing, where the
   * call cannot become a task (the client did not declare the extension, or
   * the tool is not a task tool): the handler simply goes on in the request.
   */
  async runAsTask(): Promise<boolean> {
    return (await this.#scope.runAsTask?.()) ?? false;
  }

  /**
   * 2026-07-28, explicit form: the `inputResponses` the client sent with this
   * retry of a request you answered with `inputRequired()`. `undefined` otherwise.
   */
  get inputResponses(): Readonly<Record<string, unknown>> | undefined {
    return this.#scope.input?.responses;
  }

  /** 2026-07-28, explicit form: the `state` you gave `inputRequired()` last round. */
  get inputState(): unknown {
    return this.#scope.input?.state;
  }

  /** Checks the client can take `method`, then reserves the ask's place, before any await. */
  #reserve(method: InputMethod, params: Record<string, unknown> | undefined): AskSlot {
    const input = this.#scope.input;
    if (input?.unavailable !== undefined)
      throw new Error(`Cannot ask the client (${method}): ${input.unavailable}`);
    assertClientCan(method, params, this.clientCapabilities, this.protocolVersion);
    if (!input) {
      throw new Error(
        `Cannot ask the client (${method}) while serving ${this.#scope.method}: ` +
          "only tools/call, prompts/get and resources/read requests can carry input requests",
      );
    }
    return input.reserve();
  }
}
