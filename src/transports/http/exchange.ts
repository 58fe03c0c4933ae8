import type { WaitUntil } from "./wait-until.js";

/**
 * One HTTP request and its response, as the MCP endpoint sees them. The Node
 * and fetch adapters each implement it over their own native objects, so the
 * protocol logic is written once and neither adapter wraps the other.
 */
export interface HttpExchange {
  readonly method: string;
  /** The path relative to where the handler is mounted, without the query. */
  readonly pathname: string;
  /** The query string's parameters (the 2024-11-05 transport carries the session there). */
  readonly query: URLSearchParams;
  /** The full URL, for `ctx.http`. */
  readonly url: string;
  /**
   * The peer's address, where the runtime gives it (`peerAddress` form), read
   * only when asked: rate limits key sessionless callers by it.
   */
  readonly remoteAddress: string | undefined;
  /**
   * True when the runtime says the server listens on a loopback address only
   * (Bun's `server.address`): the Host guard then applies without
   * `allowedHosts`. Undefined where it does not say (run() sets the names itself).
   */
  readonly listensOnLoopback?: boolean | undefined;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** Every request header, lower-case names (computed on demand). */
  headers(): Record<string, string>;
  /**
   * The request body as text, or `TOO_LARGE` once it passes `maxBytes`
   * (keeping stops there), or `TIMED_OUT` when it has not all arrived within
   * `timeoutMs` (the Node adapter; under `fetch` the hosting server times
   * bodies out). Frameworks that already parsed the body hand the parsed
   * value over instead.
   */
  readBody(maxBytes: number, timeoutMs: number): Promise<BodyRead>;
  /** Aborts when the client goes away before the response is finished. */
  readonly closed: AbortSignal;
  /** Calls `listener` if the client goes away before the response is finished (cheaper than `closed`). */
  onClose(listener: (reason: unknown) => void): void;
  /** Sends a whole response. */
  reply(status: number, headers: Record<string, string>, body?: string): void;
  /** Starts a streamed response (SSE). */
  stream(status: number, headers: Record<string, string>): StreamSink;
  /**
   * The JSON-RPC method a POST carried, and the tool, prompt or resource it
   * names, once read (`noteMessage`), for the access log: the body is parsed
   * once, where it is served.
   */
  mcpMethod?: string | undefined;
  mcpTarget?: string | undefined;
  /** The runtime's `waitUntil`, for work that outlives the response (`mcp.fetch` on Workers). */
  readonly waitUntil?: WaitUntil | undefined;
  /** The legacy session `initialize` opened (later requests name theirs in a header). */
  mcpSession?: string | undefined;
}

export const TOO_LARGE: unique symbol = Symbol("too large");
export const TIMED_OUT: unique symbol = Symbol("timed out");

/** What `readBody` gives: the text, a framework's parsed body, or why there is none. */
export type BodyRead = string | ParsedBody | typeof TOO_LARGE | typeof TIMED_OUT;

/** A body a framework (Express's `json()`) already parsed. */
export interface ParsedBody {
  readonly parsed: unknown;
}

export interface StreamSink {
  /** Writes a chunk; false once the client is gone. */
  write(chunk: string): boolean;
  end(): void;
}
