import { sessionPrincipal } from "../../auth/principal.js";
import type { AccessToken } from "../../auth/types.js";
import { isRecord } from "../../protocol/meta.js";
import { newSessionId } from "../../state/session.js";
import type { MessageTransport } from "../connection.js";
import { type HttpExchange, TIMED_OUT, TOO_LARGE } from "./exchange.js";
import type { HttpSettings } from "./settings.js";
import { SSE_HEADERS, SseWriter, sseEvent } from "./sse.js";
import { noteMessage } from "./target.js";

/** Serves one message channel; resolves to a function that stops serving it. */
export type ServeChannel = (transport: MessageTransport) => Promise<() => Promise<void>>;

/** Per-component step-up for one message (auth-gate.ts); answers the 403 itself when refused. */
export type AuthorizeMessage = (
  token: AccessToken,
  message: Record<string, unknown>,
  ex: HttpExchange,
  headers: Record<string, string>,
) => boolean;

/**
 * The 2024-11-05 HTTP+SSE transport, for clients that predate Streamable
 * HTTP: GET opens an event stream whose first event names the POST URL;
 * each POST carries one message and gets 202; everything the server says
 * goes down the stream as `message` events. Each stream is a channel like
 * stdio, so sessions and cancellation work as they do there.
 */
export class LegacySseEndpoint {
  readonly #settings: HttpSettings;
  readonly #paths: { readonly ssePath: string; readonly messagesPath: string };
  readonly #serve: ServeChannel;
  readonly #authorize: AuthorizeMessage | undefined;
  readonly #channels = new Map<string, SseChannel>();

  constructor(
    settings: HttpSettings,
    paths: { readonly ssePath: string; readonly messagesPath: string },
    serve: ServeChannel,
    authorize?: AuthorizeMessage,
  ) {
    this.#settings = settings;
    this.#paths = paths;
    this.#serve = serve;
    this.#authorize = authorize;
  }

  matches(pathname: string): boolean {
    return pathname === this.#paths.ssePath || pathname === this.#paths.messagesPath;
  }

  get size(): number {
    return this.#channels.size;
  }

  /** `token`: the request's verified token, when the server has auth. */
  async handle(ex: HttpExchange, cors: Record<string, string>, token?: AccessToken): Promise<void> {
    if (ex.pathname === this.#paths.ssePath && ex.method === "GET")
      return this.#open(ex, cors, token);
    if (ex.pathname === this.#paths.messagesPath && ex.method === "POST")
      return this.#post(ex, cors, token);
    ex.reply(
      405,
      { ...cors, allow: ex.pathname === this.#paths.ssePath ? "GET" : "POST" },
      "Method Not Allowed",
    );
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#channels.values()].map((channel) => channel.close()));
  }

  async #open(
    ex: HttpExchange,
    cors: Record<string, string>,
    token: AccessToken | undefined,
  ): Promise<void> {
    if (this.#channels.size >= this.#settings.maxSessions) {
      ex.reply(503, { ...cors, "retry-after": "5" }, "Too many open SSE connections");
      return;
    }
    const id = newSessionId();
    const writer = new SseWriter(
      ex.stream(200, { ...cors, ...SSE_HEADERS }),
      this.#settings.sseKeepAliveMs,
    );
    const channel = new SseChannel(writer, token);
    this.#channels.set(id, channel);
    channel.onclose = () => {
      this.#channels.delete(id);
    };
    ex.closed.addEventListener("abort", () => void channel.close(), { once: true });
    await this.#serve(channel);
    writer.raw(sseEvent(`${this.#messagesUrl()}?sessionId=${id}`, undefined, "endpoint"));
  }

  async #post(
    ex: HttpExchange,
    cors: Record<string, string>,
    token: AccessToken | undefined,
  ): Promise<void> {
    const id = ex.query.get("sessionId");
    if (id === null) return ex.reply(400, cors, "Missing sessionId parameter");
    const channel = this.#channels.get(id);
    // Another principal's stream answers like an unknown one.
    if (!channel || channel.principal !== sessionPrincipal(token))
      return ex.reply(404, cors, "Session not found");
    const type = ex.header("content-type");
    if (type === undefined || !/^application\/json\s*(;|$)/i.test(type.trim()))
      return ex.reply(415, cors, "Unsupported Media Type: Content-Type must be application/json");
    const body = await ex.readBody(this.#settings.maxBodyBytes, this.#settings.bodyTimeoutMs);
    if (body === TOO_LARGE)
      return ex.reply(413, { ...cors, connection: "close" }, "Payload Too Large");
    if (body === TIMED_OUT)
      return ex.reply(408, { ...cors, connection: "close" }, "Request Timeout");
    let message: unknown;
    try {
      message = typeof body === "string" ? JSON.parse(body) : body.parsed;
    } catch {
      return ex.reply(400, cors, "Invalid message: the body is not valid JSON");
    }
    if (!isRecord(message))
      return ex.reply(400, cors, "Invalid message: expected one JSON-RPC message");
    noteMessage(ex, message, isRecord(message.params) ? message.params : undefined);
    if (token !== undefined && this.#authorize && !this.#authorize(token, message, ex, cors))
      return;
    ex.reply(202, cors, "Accepted");
    channel.onmessage?.(message);
  }

  /** The POST URL as the client should resolve it against the SSE URL (relative when they share a folder). */
  #messagesUrl(): string {
    const { ssePath, messagesPath } = this.#paths;
    const folder = ssePath.slice(0, ssePath.lastIndexOf("/") + 1);
    return messagesPath.startsWith(folder) ? messagesPath.slice(folder.length) : messagesPath;
  }
}

/** One open event stream, in the message-transport shape `serveTransport` drives. */
class SseChannel implements MessageTransport {
  onmessage?: ((message: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  /** The token that opened the stream: every message on it acts for it (`ctx.auth`). */
  readonly auth: AccessToken | undefined;
  readonly principal: string | undefined;
  readonly #writer: SseWriter;
  #closed = false;

  constructor(writer: SseWriter, auth: AccessToken | undefined) {
    this.#writer = writer;
    this.auth = auth;
    this.principal = sessionPrincipal(auth);
  }

  async start(): Promise<void> {}

  async send(message: object): Promise<void> {
    this.#writer.raw(sseEvent(JSON.stringify(message), undefined, "message"));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.end();
    const onclose = this.onclose;
    this.onclose = undefined;
    onclose?.();
  }
}
