import { LOG_RANK } from "../context.js";
import type { ServerCore } from "../core.js";
import type { SessionRecord } from "../state/session.js";
import type { Envelope } from "./envelope.js";
import { McpError, methodNotFound } from "./errors.js";
import {
  ErrorCode,
  errorResponse,
  isRequestId,
  type JsonRpcResponse,
  type RequestId,
  resultResponse,
} from "./jsonrpc.js";
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
import type { RequestScope } from "./scope.js";
import type { Era } from "./versions.js";

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

/** Why a request was aborted, so a cancelled request sends no response (legacy rule). */
class Cancelled extends Error {
  override readonly name = "Cancelled";
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
  readonly #inFlight = new Map<string, AbortController>();
  /** How many of the running requests are `subscriptions/listen` streams. */
  #listening = 0;
  #dispatch: Dispatch;
  readonly #middleware: Middleware[] = [];

  constructor(core: ServerCore, methods: MethodTable) {
    this.#core = core;
    this.#methods = methods;
    this.#dispatch = this.#invoke;
  }

  use(middleware: Middleware): void {
    this.#middleware.push(middleware);
    this.#dispatch = compose(this.#middleware, this.#invoke);
  }

  /** Requests currently running (for graceful shutdown and tests). */
  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /**
   * Waits until no request is running, or aborts the rest after `timeoutMs`.
   * Long-lived `subscriptions/listen` streams do not hold shutdown up.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > this.#listening && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.abortAll(new Error("Server is shutting down"));
  }

  /** Aborts every running request, e.g. on shutdown. */
  abortAll(reason: unknown): void {
    for (const controller of this.#inFlight.values()) controller.abort(reason);
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
      if (hasId && ("result" in message || "error" in message)) return undefined; // a reply to us (issue: server-to-client requests)
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
    const key = `${envelope.channelId}\u0000${typeof id}:${id}`;
    const controller = new AbortController();
    let listening = false;
    try {
      const scope = await this.#scope(id, method, params, envelope, controller);
      const spec = this.#methods.get(method);
      if (!spec?.eras.includes(scope.era)) throw methodNotFound(method);
      this.#inFlight.set(key, controller);
      if (method === "subscriptions/listen") listening = true;
      if (listening) this.#listening++;
      envelope.signal?.addEventListener("abort", () => controller.abort(envelope.signal?.reason), {
        once: true,
      });
      const result = await this.#dispatch(scope);
      if (controller.signal.reason instanceof Cancelled) return undefined;
      return resultResponse(id, scope.era === "modern" ? this.#modernResult(result, spec) : result);
    } catch (error) {
      // A cancelled request is not answered, whatever its handler threw on the way out.
      if (controller.signal.reason instanceof Cancelled) return undefined;
      return this.#errorFor(id, error);
    } finally {
      this.#inFlight.delete(key);
      if (listening) this.#listening--;
    }
  }

  #invoke: Dispatch = async (scope) => {
    const spec = this.#methods.get(scope.method) as MethodSpec;
    return spec.handler(scope as InternalScope);
  };

  #errorFor(id: RequestId, error: unknown): JsonRpcResponse {
    if (error instanceof McpError) return errorResponse(id, error.code, error.message, error.data);
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
  async #scope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: AbortController,
  ): Promise<InternalScope> {
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
    let session: SessionRecord | undefined = envelope.session;
    if (!session && envelope.sessionId !== undefined)
      session = await this.#core.sessions.get(envelope.sessionId);
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
    controller: AbortController,
    era: Era,
    modern: ModernRequestMeta | undefined,
    session: SessionRecord | undefined,
  ): InternalScope {
    const outbound = envelope.outbound;
    return {
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
      signal: controller.signal,
      notify: async (notificationMethod, notificationParams) => {
        if (controller.signal.aborted) return;
        await outbound.send({
          jsonrpc: "2.0",
          method: notificationMethod,
          params: notificationParams,
        });
      },
      envelope,
    };
  }

  #modernResult(result: Result, spec: MethodSpec): Result {
    const decorated: Result = { ...result };
    decorated.resultType ??= "complete";
    const meta = isRecord(result._meta) ? { ...result._meta } : {};
    meta[META_SERVER_INFO] = this.#core.serverInfo;
    decorated._meta = meta;
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
        const controller = this.#inFlight.get(
          `${envelope.channelId}\u0000${typeof requestId}:${requestId}`,
        );
        const reason = typeof p.reason === "string" ? p.reason : "Cancelled by the client";
        controller?.abort(new Cancelled(reason));
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
