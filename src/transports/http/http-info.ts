import type { HttpInfo } from "../../protocol/scope.js";

/** Headers that carry credentials: handlers see them only through `ctx.auth`, never raw. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "mcp-session-id",
]);

/** Copies request headers for handlers, leaving credentials out. */
export function publicHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.has(name)) out[name] = value;
  }
  return out;
}

/** `ctx.http`, built only when a handler reads it: most requests never do. */
export class LazyHttpInfo implements HttpInfo {
  readonly method: string;
  readonly #url: () => string;
  readonly #headers: () => Record<string, string>;
  #cachedUrl: string | undefined;
  #cachedHeaders: Readonly<Record<string, string>> | undefined;

  constructor(method: string, url: () => string, headers: () => Record<string, string>) {
    this.method = method;
    this.#url = url;
    this.#headers = headers;
  }

  get url(): string {
    this.#cachedUrl ??= this.#url();
    return this.#cachedUrl;
  }

  get headers(): Readonly<Record<string, string>> {
    this.#cachedHeaders ??= Object.freeze(publicHeaders(this.#headers()));
    return this.#cachedHeaders;
  }

  toJSON(): HttpInfo {
    return { method: this.method, url: this.url, headers: this.headers };
  }
}
