import type { HttpInfo } from "./scope.js";

/**
 * Headers that carry credentials. Handlers never see them: authentication is
 * the transport's job, and its outcome reaches handlers as `ctx.auth`, so a
 * tool that logs or echoes its request cannot leak a token.
 */
export const WITHHELD_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
  "x-access-token",
  "x-csrf-token",
  "x-xsrf-token",
]);

/** What HTTP servers hand over as headers: the web `Headers`, or Node's `IncomingHttpHeaders`. */
export type HeadersInput =
  | Headers
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Builds the `ctx.http` view of a carrying HTTP request: header names in
 * lower case, repeated headers joined with ", ", credential headers (and
 * any named in `alsoWithhold`) left out, and user info stripped from the URL.
 * Transports call this once per HTTP request.
 */
export function toHttpInfo(
  method: string,
  url: string | URL,
  headers: HeadersInput,
  alsoWithhold: Iterable<string> = [],
  remoteAddress?: string,
): HttpInfo {
  const extra = new Set([...alsoWithhold].map((name) => name.toLowerCase()));
  const visible: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    if (WITHHELD_HEADERS.has(key) || extra.has(key)) return;
    // Header names are the client's: `constructor` is not already there, and
    // `__proto__` is a header like any other, not the object's prototype.
    const joined = Object.hasOwn(visible, key) ? `${visible[key]}, ${value}` : value;
    Object.defineProperty(visible, key, {
      value: joined,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  if (isIterable(headers)) {
    for (const [name, value] of headers) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      add(name, typeof value === "string" ? value : value.join(", "));
    }
  }
  const info: { -readonly [K in keyof HttpInfo]: HttpInfo[K] } = {
    method: method.toUpperCase(),
    url: withoutUserInfo(url),
    headers: Object.freeze(visible),
  };
  if (remoteAddress !== undefined) info.remoteAddress = remoteAddress;
  return Object.freeze(info);
}

function isIterable(value: HeadersInput): value is Iterable<readonly [string, string]> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

function withoutUserInfo(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return String(url); // a relative or odd URL has no user info to strip
  }
  if (parsed.username === "" && parsed.password === "") return parsed.href;
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}
