import { toHttpInfo } from "../../protocol/http-info.js";
import type { HttpInfo } from "../../protocol/scope.js";
import type { HttpExchange } from "./exchange.js";

/** The session id is a bearer of the session: handlers get `ctx.session` instead. */
const ALSO_WITHHELD = ["mcp-session-id"];

/** The only headers `traceHeader` reads: never a credential. */
export type TraceHeaderName = "traceparent" | "tracestate" | "baggage";
const TRACE_HEADERS: ReadonlySet<string> = new Set(["traceparent", "tracestate", "baggage"]);

/**
 * `ctx.http`, built only when a handler reads it: most requests never do.
 * It reads the exchange itself, so a request costs this one object.
 */
export class LazyHttpInfo implements HttpInfo {
  readonly method: string;
  readonly #ex: HttpExchange;
  #built: HttpInfo | undefined;

  constructor(ex: HttpExchange) {
    this.method = ex.method;
    this.#ex = ex;
  }

  /**
   * One W3C trace-context header, for tracing: read without building the
   * whole header record, which tracing would otherwise do on every request.
   */
  traceHeader(name: TraceHeaderName): string | undefined {
    if (!TRACE_HEADERS.has(name)) return undefined;
    return this.#ex.header(name);
  }

  get url(): string {
    return this.#build().url;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.#build().headers;
  }

  /** Read from the exchange, not the built record: rate limits ask on every request. */
  get remoteAddress(): string | undefined {
    return this.#built === undefined ? this.#ex.remoteAddress : this.#built.remoteAddress;
  }

  toJSON(): HttpInfo {
    return this.#build();
  }

  #build(): HttpInfo {
    const ex = this.#ex;
    this.#built ??= toHttpInfo(this.method, ex.url, ex.headers(), ALSO_WITHHELD, ex.remoteAddress);
    return this.#built;
  }
}
