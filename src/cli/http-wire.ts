import type { JsonRpcResponse, RequestId } from "../protocol/jsonrpc.js";
import { CliError, EXIT } from "./errors.js";
import { type OutgoingMessage, refusal, type Wire } from "./wire.js";

/**
 * An HTTP answer that is not the JSON-RPC response asked for (404, 405, an
 * HTML page, ...). session.ts reads it as "this era is not spoken here"
 * while it probes, so it is a class of its own.
 */
export class HttpStatusError extends CliError {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message, EXIT.failure);
    this.name = "HttpStatusError";
    this.status = status;
  }
}

export interface HttpWireOptions {
  /** The user's `--header`s, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/**
 * Streamable HTTP, from the client's side, for both eras: every message is a
 * POST, answered with JSON or an SSE stream that ends with the response.
 * The legacy session id is the transport's business: kept from the
 * `initialize` answer, sent with every later message, deleted at the end.
 */
export class HttpWire implements Wire {
  readonly label: string;
  readonly #url: URL;
  readonly #options: HttpWireOptions;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;

  constructor(url: URL, options: HttpWireOptions) {
    this.#url = url;
    this.label = url.href;
    this.#options = options;
  }

  async send(
    message: OutgoingMessage,
    headers: Record<string, string>,
  ): Promise<JsonRpcResponse | undefined> {
    this.#protocolVersion = headers["mcp-protocol-version"] ?? this.#protocolVersion;
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    const response = await this.#fetch(
      "POST",
      {
        ...headers,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      JSON.stringify(message),
      signal,
    );
    if (message.method === "initialize" && response.ok)
      this.#sessionId = response.headers.get("mcp-session-id") ?? undefined;
    if (response.status === 401 || response.status === 403)
      throw await this.#refused(response, message.method);
    const type = response.headers.get("content-type") ?? "";
    if (message.id === undefined) {
      await response.body?.cancel();
      if (response.ok) return undefined;
      throw new HttpStatusError(
        `${this.label} answered ${status(response)} to ${message.method}`,
        response.status,
      );
    }
    try {
      if (/^text\/event-stream/i.test(type))
        return await this.#readStream(response, message.id, message.method, signal);
      if (/^application\/(.+\+)?json/i.test(type)) {
        const text = await response.text();
        const answer = parseJson(text);
        // A JSON-RPC error rides on 4xx answers too (-32601 with 404, say): it is the answer.
        if (isResponse(answer, message.id)) return answer;
        throw new HttpStatusError(
          `${this.label} answered ${status(response)} to ${message.method}: ${snippet(text)}`,
          response.status,
        );
      }
      const text = await response.text();
      throw new HttpStatusError(
        `${this.label} answered ${status(response)} to ${message.method}${text ? `: ${snippet(text)}` : ""}${hint(response.status)}`,
        response.status,
      );
    } catch (error) {
      throw timeoutOr(error, this.label, this.#options.timeoutMs);
    }
  }

  /** Deletes the legacy session, as the transport asks of a client that is done; never throws. */
  async close(): Promise<void> {
    const sessionId = this.#sessionId;
    if (sessionId === undefined) return;
    const headers: Record<string, string> = { "mcp-session-id": sessionId };
    this.#sessionId = undefined;
    if (this.#protocolVersion !== undefined)
      headers["mcp-protocol-version"] = this.#protocolVersion;
    try {
      const response = await this.#fetch("DELETE", headers, undefined, AbortSignal.timeout(5000));
      await response.body?.cancel();
    } catch {
      // A server that cannot delete sessions (405) or is gone: nothing left to tidy.
    }
  }

  async #fetch(
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    const all: Record<string, string> = { ...this.#options.headers, ...headers };
    if (this.#sessionId !== undefined) all["mcp-session-id"] = this.#sessionId;
    try {
      return await fetch(this.#url, { method, headers: all, body, signal, redirect: "follow" });
    } catch (error) {
      if (signal.aborted) throw timeoutOr(signal.reason, this.label, this.#options.timeoutMs);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Could not reach ${this.label}: ${cause?.code ?? cause?.message ?? (error as Error).message}. Is the server running, and is the URL right?`,
        EXIT.failure,
      );
    }
  }

  /** Reads an SSE answer until the response to `id`; what else arrives on it is not ours to show. */
  async #readStream(
    response: Response,
    id: RequestId,
    method: string,
    signal: AbortSignal,
  ): Promise<JsonRpcResponse> {
    const reader = response.body?.getReader();
    if (reader === undefined)
      throw new HttpStatusError(
        `${this.label} sent an empty stream for ${method}`,
        response.status,
      );
    const decoder = new TextDecoder();
    let buffer = "";
    let data: string[] = [];
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
          const line = buffer.slice(0, end).replace(/\r$/, "");
          buffer = buffer.slice(end + 1);
          if (line === "") {
            const event = data.join("\n");
            data = [];
            const message = event === "" ? undefined : parseJson(event);
            if (isResponse(message, id)) return message;
            this.#answerRequest(message, signal);
          } else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
      }
    } finally {
      // The answer is in: the rest of the stream (if any) is not needed.
      void reader.cancel().catch(() => {});
    }
    throw new HttpStatusError(
      `${this.label} ended its event stream without answering ${method}`,
      response.status,
    );
  }

  /**
   * The command declares no client capabilities, so a server should not
   * ask it anything; one that does gets a refusal rather than a silence.
   */
  #answerRequest(message: unknown, signal: AbortSignal): void {
    if (typeof message !== "object" || message === null) return;
    const { id, method } = message as { id?: RequestId; method?: unknown };
    if (id === undefined || typeof method !== "string") return;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.#protocolVersion !== undefined)
      headers["mcp-protocol-version"] = this.#protocolVersion;
    void this.#fetch("POST", headers, JSON.stringify(refusal(id, method)), signal).then(
      (answer) => answer.body?.cancel(),
      () => {},
    );
  }

  /** 401 and 403: what the server's challenge says, and what to do about it. */
  async #refused(response: Response, method: string): Promise<CliError> {
    const challenge = response.headers.get("www-authenticate");
    const body = snippet(await response.text().catch(() => ""));
    const sentToken = this.#options.headers.authorization !== undefined;
    const said = challenge ? ` The server's challenge: WWW-Authenticate: ${challenge}.` : "";
    if (response.status === 401)
      return new CliError(
        sentToken
          ? `${this.label} refused the token (401 Unauthorized) for ${method}.${said} Check that the token is valid, unexpired and issued for this server.`
          : `${this.label} requires authorization (401 Unauthorized).${said} Get an access token from its authorization server (the resource_metadata URL names it) and pass it: --header "Authorization: Bearer <token>"`,
        EXIT.failure,
      );
    return new CliError(
      challenge
        ? `${this.label} refused ${method} (403 Forbidden): the token lacks a scope it needs.${said} Get a token with those scopes.`
        : `${this.label} refused ${method} (403 Forbidden)${body ? `: ${body}` : ""}`,
      EXIT.failure,
    );
  }
}

function status(response: Response): string {
  return `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
}

function hint(code: number): string {
  return code === 404
    ? ". Is the URL the MCP endpoint? (fastmcp-ts serves it at /mcp unless told otherwise)"
    : "";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isResponse(message: unknown, id: RequestId): message is JsonRpcResponse {
  if (typeof message !== "object" || message === null) return false;
  const candidate = message as { id?: unknown; result?: unknown; error?: unknown };
  return candidate.id === id && ("result" in candidate || "error" in candidate);
}

/** A server's words, cut to one readable line. */
function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

function timeoutOr(error: unknown, label: string, timeoutMs: number): unknown {
  if (
    error instanceof DOMException &&
    (error.name === "TimeoutError" || error.name === "AbortError")
  )
    return new CliError(
      `${label} did not answer within ${timeoutMs / 1000} s (--timeout to wait longer)`,
      EXIT.failure,
    );
  return error;
}
