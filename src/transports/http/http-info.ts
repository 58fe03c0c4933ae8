import { toHttpInfo } from "../../protocol/http-info.js";
import type { HttpInfo } from "../../protocol/scope.js";

/** The session id is a bearer of the session: handlers get `ctx.session` instead. */
const ALSO_WITHHELD = ["mcp-session-id"];

/** The only headers `traceHeader` reads: never a credential. */
export type TraceHeaderName = "traceparent" | "tracestate" | "baggage";
const TRACE_HEADERS: ReadonlySet<string> = new Set(["traceparent", "tracestate", "baggage"]);

/** `ctx.http`, built only when a handler reads it: most requests never do. */

export class LazyHttpInfo implements HttpInfo {
  readonly method: string;
  readonly #url: () => string;
  readonly #headers: () => Record<string, string>;
  readonly #header: ((name: string) => string | undefined) | undefined;
  #built: HttpInfo | undefined;

  constructor(
    method: string,
    url: () => string,
    headers: () => Record<string, string>,
    header?: (name: string) => string | undefined,
  ) {
    this.method = method;
    this.#url = url;
    this.#headers = headers;
    this.#header = header;
  }

  /**
   * One W3C trace-context header, for tracing: read without building the
   * whole header record, which tracing would otherwise do on every request.
   */
  traceHeader(name: TraceHeaderName): string | undefined {
    if (!TRACE_HEADERS.has(name)) return undefined;
    return this.#header ? this.#header(name) : this.headers[name];
  }

  get url(): string {
    return this.#build().url;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.#build().headers;
  }

  toJSON(): HttpInfo {
    return this.#build();
  }

  #build(): HttpInfo {
    this.#built ??= toHttpInfo(this.method, this.#url(), this.#headers(), ALSO_WITHHELD);
    return this.#built;
  }
}
