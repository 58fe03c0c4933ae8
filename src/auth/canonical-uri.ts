/**
 * The canonical URI of an MCP server as a resource (RFC 8707, MCP
 * authorization "Canonical Server URI"): what a token's audience names and
 * what the protected resource metadata announces. Two spellings of one
 * server (`HTTPS://Example.com:443/mcp/` and `https://example.com/mcp`)
 * must compare equal, or a valid token is refused for a slash.
 */

/**
 * The canonical form of an absolute http(s) URI: scheme and host in lower
 * case, the default port dropped, dot segments resolved, one trailing slash
 * of the path removed (a bare `/` path becomes empty), the query kept.
 * The MCP specification asks servers to accept upper-case scheme and host
 * and to use the form without the trailing slash consistently.
 *
 * @throws TypeError, naming the value, when it is not an absolute http(s)
 *   URI, has a fragment (RFC 8707 forbids one), or carries a user name or
 *   password (an identifier announced in metadata must not hold credentials).
 */
export function canonicalUri(value: string | URL): string {
  const canonical = tryCanonicalUri(value);
  if (canonical !== undefined) return canonical;
  throw new TypeError(
    `${JSON.stringify(String(value))} is not a valid resource URI: ${why(value)}`,
  );
}

/**
 * Whether two URIs name the same resource: equal in canonical form. False
 * when either is not a valid resource URI (a predicate does not throw).
 */
export function sameResource(a: string | URL, b: string | URL): boolean {
  const left = tryCanonicalUri(a);
  return left !== undefined && left === tryCanonicalUri(b);
}

/** `canonicalUri` without the throw, for values that come from tokens. */
export function tryCanonicalUri(value: string | URL): string | undefined {
  const url = parse(value);
  if (url === undefined || problem(url) !== undefined) return undefined;
  // The URL parser already lower-cases scheme and host, drops the default
  // port and resolves dot segments; only the trailing slash is ours to do.
  const path = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

function parse(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  if (typeof value !== "string") return undefined;
  return URL.canParse(value) ? new URL(value) : undefined;
}

function problem(url: URL): string | undefined {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `the scheme must be http or https, not ${url.protocol.slice(0, -1)}`;
  // An empty fragment ("…/mcp#") leaves `hash` empty but `href` keeps the
  // "#": outside the fragment the parser percent-encodes every other "#".
  if (url.href.includes("#")) return "a resource URI must not have a fragment";
  if (url.username !== "" || url.password !== "")
    return "a resource URI must not carry a user name or password";
  return undefined;
}

function why(value: string | URL): string {
  const url = parse(value);
  if (url === undefined) return "it is not an absolute URI";
  return problem(url) ?? "it is not an absolute http(s) URI";
}
