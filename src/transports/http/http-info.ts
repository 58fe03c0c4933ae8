import { toHttpInfo } from "../../protocol/http-info.js";
import type { HttpInfo } from "../../protocol/scope.js";

/** The session id is a bearer of the session: handlers get `ctx.session` instead. */
const ALSO_WITHHELD = ["mcp-session-id"];

/** `ctx.http`, built only when a handler reads it: most requests never do. */
export class LazyHttpInfo implements HttpInfo {
  readonly method: string;
  readonly #url: () => string;
  readonly #headers: () => Record<string, string>;
  #built: HttpInfo | undefined;

  constructor(method: string, url: () => string, headers: () => Record<string, string>) {
    this.method = method;
    this.#url = url;
    this.#headers = headers;
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
