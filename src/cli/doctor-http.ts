/**
 * What `doctor` sends and how it reads the answers: fetch with a 5 s limit
 * per request, JSON-RPC responses in JSON or SSE, and network failures
 * named the way a user can act on them.
 */

/** Each request gives up after this long: a check that hangs helps nobody. */
export const TIMEOUT_MS = 5000;
export const MODERN_VERSION = "2026-07-28";
export const LEGACY_VERSION = "2025-11-25";
/** An origin no server serves (RFC 2606 `.invalid`): what a stranger's web page sends. */
export const FOREIGN_ORIGIN = "https://fastmcp-doctor.invalid";

export type HeaderMap = Readonly<Record<string, string>>;

/** One HTTP answer, with the JSON-RPC message in it when there was one. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly ms: number;
  /** The body as JSON (a JSON body, or the matching SSE event), when it parsed. */
  readonly json: unknown;
}

/** The request never got an HTTP answer: why, and what to do. */
export class Unreachable extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
  ) {
    super(reason);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON-RPC POST as a client of either era sends it (`headers` add to, and win over, the defaults). */
export function rpcPost(
  message: Record<string, unknown>,
  headers: HeaderMap,
): { method: string; headers: Record<string, string>; body: string } {
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", ...message }),
  };
}

/** A 2026-07-28 request: `_meta` in the body, the version and method in headers. */
export function modernPost(method: string, headers: HeaderMap) {
  return rpcPost(
    {
      id: `doctor-${method}`,
      method,
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
          "io.modelcontextprotocol/clientCapabilities": {},
          "io.modelcontextprotocol/clientInfo": { name: "fastmcp-ts doctor", version: "1" },
        },
      },
    },
    { "mcp-protocol-version": MODERN_VERSION, "mcp-method": method, ...headers },
  );
}

/** The first JSON-RPC message in an SSE body (the response to a POST), read until it arrives. */
async function firstSseMessage(body: ReadableStream<Uint8Array>): Promise<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += decoder.decode(value, { stream: !done });
      // Events end with a blank line; an event's data lines join with "\n".
      const events = buffer.replace(/\r\n?/g, "\n").split("\n\n");
      for (const event of done ? events : events.slice(0, -1)) {
        const data = event
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (data === "") continue;
        const parsed = parseJson(data);
        if (isRecord(parsed) && ("result" in parsed || "error" in parsed)) return parsed;
      }
      if (done) return undefined;
    }
  } finally {
    // The server may hold the stream open; what was needed has arrived.
    void reader.cancel().catch(() => {});
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends one request and reads its answer, all within TIMEOUT_MS. Redirects
 * are not followed: the URL given is the one checked, as clients are given it.
 */
export async function send(
  url: string | URL,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const started = performance.now();
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal });
    const type = response.headers.get("content-type") ?? "";
    let json: unknown;
    if (response.body !== null && type.includes("text/event-stream"))
      json = await firstSseMessage(response.body);
    else json = parseJson(await response.text());
    return {
      status: response.status,
      headers: response.headers,
      ms: Math.round(performance.now() - started),
      json,
    };
  } catch (error) {
    throw unreachable(error, new URL(url));
  }
}

/** A fetch failure as the user can act on it: refused, DNS, TLS, timeout. */
function unreachable(error: unknown, url: URL): Unreachable {
  const failure = error as { name?: string; message?: string; cause?: unknown };
  const cause = (failure.cause ?? {}) as { code?: string; message?: string };
  const code = cause.code ?? "";
  const where = `${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
  if (failure.name === "TimeoutError" || failure.name === "AbortError")
    return new Unreachable(
      `no answer within ${TIMEOUT_MS / 1000} s from ${where}`,
      "check that the server is up and that nothing (a firewall, a proxy) holds the request",
    );
  if (code === "ECONNREFUSED")
    return new Unreachable(
      `connection refused: nothing listens on ${where}`,
      "start the server (fastmcp-ts run server.ts --transport streamable-http --port N), or check the URL's host and port",
    );
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new Unreachable(
      `DNS: ${url.hostname} does not resolve (${code})`,
      "check the host name in the URL, or its DNS record",
    );
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "EPROTO")
    return new Unreachable(
      `TLS: ${where} does not answer with TLS (${code})`,
      "it serves plain HTTP there: use http://, or put TLS in front of it",
    );
  if (/CERT|TLS|SSL/.test(code) || /certificate|ssl|tls/i.test(cause.message ?? ""))
    return new Unreachable(
      `TLS: ${(cause.message ?? code).split("\n")[0]}${code ? ` (${code})` : ""}`,
      url.protocol === "https:"
        ? `serve a certificate for ${url.hostname} from an authority clients trust, with its whole chain; a server without TLS is http://`
        : "the server answers with TLS: use https://",
    );
  return new Unreachable(
    `${cause.message ?? failure.message ?? String(error)}${code ? ` (${code})` : ""}`,
    "check the URL and that the server is up",
  );
}

/** A JSON-RPC error as one short line. */
export function rpcErrorText(json: unknown): string | undefined {
  if (!isRecord(json) || !isRecord(json.error)) return undefined;
  const { code, message } = json.error;
  return `${String(code)} ${String(message).slice(0, 160)}`;
}

/** The OAuth error of a refusal: `error` from the challenge or the body, and its description. */
export function oauthErrorText(answer: Answer): string {
  const challenge = answer.headers.get("www-authenticate") ?? "";
  const body = isRecord(answer.json) ? answer.json : {};
  const error = /error="([^"]*)"/.exec(challenge)?.[1] ?? body.error;
  const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? body.error_description;
  return [error, description].filter((part) => typeof part === "string").join(": ");
}
