import type { ParamHeader } from "../../components/param-headers.js";
import type { Logger } from "../../logger.js";
import type { Envelope } from "../../protocol/envelope.js";
import { McpError } from "../../protocol/errors.js";
import {
  ErrorCode,
  errorResponse,
  isRequestId,
  type JsonRpcResponse,
  type RequestId,
} from "../../protocol/jsonrpc.js";
import {
  declaresModernMeta,
  isRecord,
  META_PROTOCOL_VERSION,
  parseModernMeta,
} from "../../protocol/meta.js";
import {
  isLegacyVersion,
  isModernVersion,
  LEGACY_VERSIONS,
  versionAtLeast,
} from "../../protocol/versions.js";
import type { Bus } from "../../state/bus.js";
import type { SessionRecord, SessionStore } from "../../state/session.js";
import { LiveList } from "../../util/live-list.js";
import { PROCESS_TAG, serial } from "../../util/unique-tag.js";
import { type HttpExchange, TOO_LARGE } from "./exchange.js";
import { LazyHttpInfo } from "./http-info.js";
import { LegacySseEndpoint, type ServeChannel } from "./legacy-sse.js";
import { checkModernHeaders } from "./modern-headers.js";
import { primingEvent, RequestReply, type Resumable, replay } from "./reply.js";
import { checkHost, checkOrigin, corsHeaders, preflightHeaders } from "./security.js";
import { SessionStreams } from "./session-streams.js";
import type { HttpSettings } from "./settings.js";
import { SSE_HEADERS, SseWriter } from "./sse.js";

/** What the endpoint needs from the server it serves. */
export interface EndpointHost {
  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined>;
  readonly sessions: SessionStore;
  readonly bus: Bus;
  readonly logger: Logger;
  readonly broadcastTopic: string;
  sessionTopic(sessionId: string): string;
  /** The `x-mcp-header` arguments of a tool, or undefined when there is no such tool. */
  paramHeaders(tool: string): readonly ParamHeader[] | undefined;
  /** Ends a session everywhere: store, streams, subscriptions. */
  endSession(sessionId: string): Promise<void>;
  onSessionEnd(listener: (sessionId: string) => void): void;
  /** Serves a long-lived message channel (the 2024-11-05 SSE transport). */
  serveChannel: ServeChannel;
}

const ALLOW = "GET, POST, DELETE, OPTIONS";
const STATELESS_NO_ASKS =
  "a legacy request over stateless HTTP cannot receive the answer (no session ties it to this request); " +
  "use sessions, or a 2026-07-28 client, where asks are multi-round-trip results";

/**
 * The Streamable HTTP endpoint, for both protocol eras on one URL. It knows
 * HTTP semantics (status codes, headers, SSE, sessions) and hands each
 * JSON-RPC message to the engine through an envelope.
 */
export class HttpEndpoint {
  readonly #host: EndpointHost;
  readonly #settings: HttpSettings;
  readonly #streams: SessionStreams;
  /** Request streams still running, so a client can resume one on a new connection (a list: see `LiveList`). */
  readonly #live = new LiveList<{ readonly streamId: string; readonly reply: RequestReply }>();
  readonly #legacySse: LegacySseEndpoint | undefined;
  #streamCounter = 0;
  /** Made once, not per request. */
  readonly #paramHeaders = (tool: string) => this.#host.paramHeaders(tool);
  #channelCounter = 0;

  constructor(host: EndpointHost, settings: HttpSettings) {
    this.#host = host;
    this.#settings = settings;
    this.#streams = new SessionStreams({
      bus: host.bus,
      topicsFor: (id) => [host.broadcastTopic, host.sessionTopic(id)],
      store: settings.eventStore,
      resumeWindowMs: settings.resumeWindowMs,
      onError: (message, error) => host.logger.error(message, error),
    });
    host.onSessionEnd((id) => void this.#streams.close(id));
    this.#legacySse = settings.legacySse
      ? new LegacySseEndpoint(settings, settings.legacySse, host.serveChannel)
      : undefined;
  }

  get settings(): HttpSettings {
    return this.#settings;
  }

  /** Whether a path is served here (adapters pass others on to the next handler). */
  matches(pathname: string): boolean {
    const path = this.#settings.path;
    return (
      pathname === path ||
      (path === "/" ? pathname === "" : pathname === `${path}/`) ||
      (this.#legacySse?.matches(pathname) ?? false)
    );
  }

  /** Closes every open stream (server shutdown). */
  async closeStreams(): Promise<void> {
    await Promise.all([this.#streams.closeAll(), this.#legacySse?.closeAll()]);
    for (const { reply } of this.#live) void reply.finish(undefined);
  }

  /** Serves one exchange whose path `matches()`. */
  async handle(ex: HttpExchange): Promise<void> {
    const refused = checkHost(ex, this.#settings) ?? checkOrigin(ex, this.#settings);
    if (refused !== undefined)
      return this.#error(ex, {}, 403, undefined, ErrorCode.InvalidRequest, `Forbidden: ${refused}`);
    const cors = corsHeaders(ex, this.#settings) ?? {};
    if (this.#legacySse?.matches(ex.pathname) && ex.method !== "OPTIONS")
      return this.#legacySse.handle(ex, cors);
    switch (ex.method) {
      case "POST":
        return this.#post(ex, cors);
      case "GET":
        return this.#get(ex, cors);
      case "DELETE":
        return this.#delete(ex, cors);
      case "OPTIONS":
        if (this.#settings.cors && "access-control-allow-origin" in cors)
          return ex.reply(204, preflightHeaders(ex, this.#settings, cors));
        return ex.reply(204, { ...cors, allow: ALLOW });
      default:
        return this.#methodNotAllowed(ex, cors);
    }
  }

  // ---- POST ---------------------------------------------------------------

  async #post(ex: HttpExchange, cors: Record<string, string>): Promise<void> {
    const contentType = ex.header("content-type");
    if (contentType === undefined || !/^application\/json\s*(;|$)/i.test(contentType.trim()))
      return this.#error(
        ex,
        cors,
        415,
        undefined,
        ErrorCode.InvalidRequest,
        "Unsupported Media Type: Content-Type must be application/json",
      );
    const accept = ex.header("accept");
    if (accept !== undefined && !acceptsAny(accept, ["application/json", "text/event-stream"]))
      return this.#error(
        ex,
        cors,
        406,
        undefined,
        ErrorCode.InvalidRequest,
        "Not Acceptable: Accept must include application/json and text/event-stream",
      );
    const body = await ex.readBody(this.#settings.maxBodyBytes);
    if (body === TOO_LARGE)
      return this.#error(
        ex,
        { ...cors, connection: "close" },
        413,
        undefined,
        ErrorCode.InvalidRequest,
        `Payload Too Large: the body exceeds ${this.#settings.maxBodyBytes} bytes`,
      );
    let message: unknown;
    if (typeof body === "string") {
      try {
        message = JSON.parse(body);
      } catch {
        return this.#error(
          ex,
          cors,
          400,
          undefined,
          ErrorCode.ParseError,
          "Parse error: the body is not valid JSON",
        );
      }
    } else {
      message = body.parsed;
    }
    if (!isRecord(message)) {
      return this.#error(
        ex,
        cors,
        400,
        undefined,
        ErrorCode.InvalidRequest,
        Array.isArray(message)
          ? "Invalid request: JSON-RPC batches are not supported; send one message per POST"
          : "Invalid request: expected a JSON-RPC message object",
      );
    }
    const params = isRecord(message.params) ? message.params : undefined;
    const headerVersion = ex.header("mcp-protocol-version")?.trim();
    const modern =
      declaresModernMeta(params?._meta) ||
      (headerVersion !== undefined && isModernVersion(headerVersion));
    return modern
      ? this.#postModern(ex, cors, message, params ?? {})
      : this.#postLegacy(ex, cors, message, headerVersion);
  }

  async #postModern(
    ex: HttpExchange,
    cors: Record<string, string>,
    message: Record<string, unknown>,
    params: Record<string, unknown>,
  ): Promise<void> {
    const method = message.method;
    const id = isRequestId(message.id) ? message.id : undefined;
    if (typeof method !== "string" || id === undefined) {
      // Modern clients send no responses and need no notifications over HTTP; accept and ignore.
      await this.#host.handleMessage(message, this.#detachedEnvelope(ex));
      return ex.reply(202, cors);
    }
    let modernMeta: ReturnType<typeof parseModernMeta>;
    try {
      const meta = isRecord(params._meta) ? params._meta : {};
      checkModernHeaders(ex, method, params, meta[META_PROTOCOL_VERSION], this.#paramHeaders);
      modernMeta = parseModernMeta(meta);
    } catch (error) {
      if (!(error instanceof McpError)) throw error;
      return this.#error(ex, cors, 400, id, error.code, error.message, error.data);
    }
    const reply = new RequestReply({
      ex,
      headers: cors,
      jsonOnly: this.#settings.jsonResponse && method !== "subscriptions/listen",
      keepAliveMs: this.#settings.sseKeepAliveMs,
      resumable: undefined,
      elsewhere: undefined,
      statusFor: modernStatus,
      onDone: undefined,
    });
    const envelope: Envelope = {
      outbound: reply,
      channelId: this.#channel(),
      http: this.#httpInfo(ex),
      onCarrierClose: (listener) => ex.onClose(listener),
      modernMeta,
    };
    await reply.finish(await this.#host.handleMessage(message, envelope));
  }

  async #postLegacy(
    ex: HttpExchange,
    cors: Record<string, string>,
    message: Record<string, unknown>,
    headerVersion: string | undefined,
  ): Promise<void> {
    const id = isRequestId(message.id) ? message.id : undefined;
    if (headerVersion !== undefined && !isLegacyVersion(headerVersion))
      return this.#error(
        ex,
        cors,
        400,
        id,
        ErrorCode.InvalidRequest,
        `Bad Request: unsupported MCP-Protocol-Version "${headerVersion}" (supported: ${[...LEGACY_VERSIONS, "2026-07-28"].join(", ")})`,
      );
    const isRequest = typeof message.method === "string" && id !== undefined;
    const isInitialize = isRequest && message.method === "initialize";
    if (this.#settings.stateless)
      return this.#serveLegacy(ex, cors, message, isRequest, undefined, headerVersion);

    let session: SessionRecord | undefined;
    if (isInitialize) {
      if ((await this.#host.sessions.size()) >= this.#settings.maxSessions)
        return this.#error(
          ex,
          { ...cors, "retry-after": "5" },
          503,
          id,
          ErrorCode.InternalError,
          "Service Unavailable: too many sessions; try again later",
        );
    } else {
      const sessionId = ex.header("mcp-session-id");
      if (sessionId === undefined)
        return this.#error(
          ex,
          cors,
          400,
          id,
          ErrorCode.InvalidRequest,
          "Bad Request: Mcp-Session-Id header is required (send initialize first)",
        );
      session = await this.#host.sessions.get(sessionId);
      if (!session)
        return this.#error(
          ex,
          cors,
          404,
          id,
          ErrorCode.InvalidRequest,
          "Session not found: it ended or never existed; send initialize to start a new one",
        );
    }
    return this.#serveLegacy(ex, cors, message, isRequest, session, headerVersion);
  }

  async #serveLegacy(
    ex: HttpExchange,
    cors: Record<string, string>,
    message: Record<string, unknown>,
    isRequest: boolean,
    session: SessionRecord | undefined,
    headerVersion: string | undefined,
  ): Promise<void> {
    const stateful = !this.#settings.stateless;
    const legacyVersion = isLegacyVersion(headerVersion) ? headerVersion : "2025-03-26";
    if (!isRequest) {
      // Notifications and responses to our requests: hand over, then 202.
      await this.#host.handleMessage(message, {
        outbound: { send: () => {} },
        channelId: session?.id ?? this.#channel(),
        sessionId: session?.id,
        session,
        legacyVersion,
      });
      return ex.reply(202, cors);
    }
    const store = this.#settings.eventStore;
    const streamId =
      session && store ? `${session.id}-${PROCESS_TAG}${serial(++this.#streamCounter)}` : undefined;
    const resumable: Resumable | undefined =
      session && store && streamId !== undefined
        ? {
            store,
            streamId,
            prime: versionAtLeast(session.protocolVersion, "2025-11-25"),
            retryMs: this.#settings.sseRetryMs,
          }
        : undefined;
    const sessionTopic = session ? this.#host.sessionTopic(session.id) : undefined;
    const reply = new RequestReply({
      ex,
      headers: cors,
      jsonOnly: this.#settings.jsonResponse,
      keepAliveMs: this.#settings.sseKeepAliveMs,
      resumable,
      elsewhere:
        sessionTopic === undefined
          ? undefined
          : (note) => void this.#host.bus.publish(sessionTopic, note),
      statusFor: legacyStatus,
      onDone: streamId === undefined ? undefined : () => live?.remove(),
    });
    const live = streamId === undefined ? undefined : this.#live.add({ streamId, reply });
    const envelope: Envelope = {
      outbound: reply,
      channelId: session?.id ?? this.#channel(),
      sessionId: session?.id,
      session,
      legacyVersion: session ? undefined : legacyVersion,
      http: this.#httpInfo(ex),
      bindSession: stateful
        ? (id) => {
            reply.sessionId = id;
          }
        : undefined,
      sessionIdleTimeoutMs: this.#settings.sessionIdleTimeoutMs,
      noClientRequests: session ? undefined : STATELESS_NO_ASKS,
    };
    await reply.finish(await this.#host.handleMessage(message, envelope));
  }

  // ---- GET: the session's standalone stream, or a resumed one -------------

  async #get(ex: HttpExchange, cors: Record<string, string>): Promise<void> {
    const headerVersion = ex.header("mcp-protocol-version")?.trim();
    if (this.#settings.stateless || (headerVersion !== undefined && isModernVersion(headerVersion)))
      return this.#methodNotAllowed(ex, cors);
    const accept = ex.header("accept");
    if (accept === undefined || !acceptsAny(accept, ["text/event-stream"]))
      return this.#error(
        ex,
        cors,
        406,
        undefined,
        ErrorCode.InvalidRequest,
        "Not Acceptable: Accept must include text/event-stream",
      );
    const session = await this.#requireSession(ex, cors);
    if (!session) return;
    const lastEventId = ex.header("last-event-id");
    const store = this.#settings.eventStore;
    if (lastEventId !== undefined && store) {
      const streamId = await this.#streamOf(lastEventId);
      if (streamId === undefined || !streamId.startsWith(`${session.id}-`))
        return this.#error(
          ex,
          cors,
          404,
          undefined,
          ErrorCode.InvalidRequest,
          "Not Found: unknown or expired Last-Event-ID",
        );
      if (streamId !== SessionStreams.streamIdFor(session.id)) {
        const writer = this.#openSse(ex, cors);
        const live = this.#live.find((entry) => entry.streamId === streamId)?.reply;
        if (live) await live.resume(writer, lastEventId);
        else {
          await replay(store, lastEventId, writer);
          writer.end();
        }
        return;
      }
      const writer = this.#openSse(ex, cors);
      this.#watchStandalone(ex, session.id, writer);
      await this.#streams.open(session.id, writer, lastEventId);
      return;
    }
    if (this.#streams.isOpen(session.id))
      return this.#error(
        ex,
        cors,
        409,
        undefined,
        ErrorCode.InvalidRequest,
        "Conflict: this session already has an open GET stream",
      );
    const writer = this.#openSse(ex, cors);
    if (store && versionAtLeast(session.protocolVersion, "2025-11-25")) {
      // The priming event gives the client an id to resume from before any message arrives.
      const id = await store.storeEvent(SessionStreams.streamIdFor(session.id), {});
      writer.raw(primingEvent(id, this.#settings.sseRetryMs));
    }
    this.#watchStandalone(ex, session.id, writer);
    await this.#streams.open(session.id, writer);
  }

  #watchStandalone(ex: HttpExchange, sessionId: string, writer: SseWriter): void {
    ex.closed.addEventListener(
      "abort",
      () => {
        writer.detach();
        this.#streams.detached(sessionId, writer);
      },
      { once: true },
    );
  }

  async #streamOf(eventId: string): Promise<string | undefined> {
    const store = this.#settings.eventStore;
    if (!store) return undefined;
    if (store.getStreamIdForEventId) return store.getStreamIdForEventId(eventId);
    const dot = eventId.lastIndexOf(".");
    return dot > 0 ? eventId.slice(0, dot) : undefined;
  }

  #openSse(ex: HttpExchange, cors: Record<string, string>): SseWriter {
    const writer = new SseWriter(
      ex.stream(200, { ...cors, ...SSE_HEADERS }),
      this.#settings.sseKeepAliveMs,
    );
    ex.closed.addEventListener("abort", () => writer.detach(), { once: true });
    return writer;
  }

  // ---- DELETE -------------------------------------------------------------

  async #delete(ex: HttpExchange, cors: Record<string, string>): Promise<void> {
    const headerVersion = ex.header("mcp-protocol-version")?.trim();
    if (this.#settings.stateless || (headerVersion !== undefined && isModernVersion(headerVersion)))
      return this.#methodNotAllowed(ex, cors);
    const session = await this.#requireSession(ex, cors);
    if (!session) return;
    await this.#host.endSession(session.id);
    ex.reply(200, cors);
  }

  // ---- helpers -------------------------------------------------------------

  async #requireSession(
    ex: HttpExchange,
    cors: Record<string, string>,
  ): Promise<SessionRecord | undefined> {
    const sessionId = ex.header("mcp-session-id");
    if (sessionId === undefined) {
      this.#error(
        ex,
        cors,
        400,
        undefined,
        ErrorCode.InvalidRequest,
        "Bad Request: Mcp-Session-Id header is required",
      );
      return undefined;
    }
    const session = await this.#host.sessions.get(sessionId);
    if (!session)
      this.#error(
        ex,
        cors,
        404,
        undefined,
        ErrorCode.InvalidRequest,
        "Session not found: it ended or never existed; send initialize to start a new one",
      );
    return session;
  }

  #methodNotAllowed(ex: HttpExchange, cors: Record<string, string>): void {
    const allow = this.#settings.stateless ? "POST, OPTIONS" : ALLOW;
    this.#error(
      ex,
      { ...cors, allow },
      405,
      undefined,
      ErrorCode.InvalidRequest,
      `Method Not Allowed: ${ex.method} is not served here`,
    );
  }

  #error(
    ex: HttpExchange,
    headers: Record<string, string>,
    status: number,
    id: RequestId | undefined,
    code: number,
    message: string,
    data?: unknown,
  ): void {
    ex.reply(
      status,
      { ...headers, "content-type": "application/json" },
      JSON.stringify(errorResponse(id, code, message, data)),
    );
  }

  #channel(): string {
    return `http-${PROCESS_TAG}-${serial(++this.#channelCounter)}`;
  }

  #httpInfo(ex: HttpExchange): LazyHttpInfo {
    return new LazyHttpInfo(
      ex.method,
      () => ex.url,
      () => ex.headers(),
    );
  }

  #detachedEnvelope(ex: HttpExchange): Envelope {
    return { outbound: { send: () => {} }, channelId: this.#channel(), http: this.#httpInfo(ex) };
  }
}

/** 2026-07-28 puts some JSON-RPC errors on HTTP statuses; everything else is 200. */
function modernStatus(response: JsonRpcResponse): number {
  if (!("error" in response)) return 200;
  switch (response.error.code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    default:
      return 200;
  }
}

/** Legacy errors travel in a 200 response, like results. */
function legacyStatus(): number {
  return 200;
}

/** Wildcards per media type, worked out once rather than on every request. */
const WILDCARDS = new Map<string, string>();

/** Whether an Accept header admits any of the types (`*\/*` and `type/*` count). */
function acceptsAny(accept: string, types: readonly string[]): boolean {
  const lower = accept.toLowerCase();
  if (lower.includes("*/*")) return true;
  for (const type of types) {
    let wildcard = WILDCARDS.get(type);
    if (wildcard === undefined) {
      wildcard = `${type.split("/")[0]}/*`;
      WILDCARDS.set(type, wildcard);
    }
    if (lower.includes(type) || lower.includes(wildcard)) return true;
  }
  return false;
}
