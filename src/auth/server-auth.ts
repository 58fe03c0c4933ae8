import type { AccessToken, AuthSettings, TokenVerifier } from "./types.js";

/** Where RFC 9728 puts a protected resource's metadata, before the resource's path. */
export const METADATA_PREFIX = "/.well-known/oauth-protected-resource";

/** The protected resource metadata, worked out once: its URL, its path and its JSON. */
export interface ResourceMetadata {
  /** The canonical URL, from `resourceServerUrl` by path insertion: `resource_metadata` in challenges. */
  readonly url: string;
  /** That URL's path: served wherever a request for it reaches the endpoint. */
  readonly path: string;
  /** The document, serialized once. */
  readonly json: string;
}

/**
 * A server's authentication, resolved from its options once: the verifier,
 * the scopes every request needs, and (with `auth` settings) the metadata
 * document that lets clients discover the authorization server.
 */
export interface ServerAuth {
  readonly verifier: TokenVerifier;
  readonly requiredScopes: readonly string[];
  readonly metadata: ResourceMetadata | undefined;
}

/**
 * The resource URL as the metadata and challenges state it: lower-case scheme
 * and host (the URL parser does that), no default port, no trailing slash
 * (the MCP authorization page asks for the form without it), no fragment.
 */
export function resourceUrl(value: string | URL, owner: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${owner}: auth.resourceServerUrl "${value}" is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError(
      `${owner}: auth.resourceServerUrl must be an http(s) URL, not "${url.protocol}"`,
    );
  if (url.hash !== "")
    throw new TypeError(
      `${owner}: auth.resourceServerUrl must not have a fragment ("${url.hash}")`,
    );
  if (url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** `https://mcp.example.com/api/mcp` → `https://mcp.example.com` + prefix + `/api/mcp`. */
function metadataUrl(resource: URL): URL {
  const path = resource.pathname === "/" ? "" : resource.pathname;
  return new URL(`${METADATA_PREFIX}${path}`, resource.origin);
}

/** The URL without the slash `URL` adds to an empty path. */
function withoutRootSlash(url: URL): string {
  return url.pathname === "/" && url.search === "" ? url.origin : url.href;
}

function checkScopes(value: unknown, owner: string, name: string): readonly string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((s) => typeof s === "string" && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s))
  )
    throw new TypeError(
      `${owner}: auth.${name} must be a list of scope names (printable ASCII without spaces, quotes or backslashes)`,
    );
  return value as readonly string[];
}

function httpUrl(value: string | URL, owner: string, name: string): string {
  try {
    const url = new URL(String(value));
    if (url.protocol === "https:" || url.protocol === "http:") return withoutRootSlash(url);
  } catch {}
  throw new TypeError(`${owner}: auth.${name} "${value}" is not an absolute http(s) URL`);
}

/**
 * Resolves `tokenVerifier` and `auth` into what the HTTP endpoint uses, or
 * undefined when the server has no authentication. Misconfigurations are
 * errors here, at construction, not 500s at the first request.
 */
export function resolveServerAuth(
  owner: string,
  verifier: TokenVerifier | undefined,
  settings: AuthSettings | undefined,
): ServerAuth | undefined {
  if (verifier === undefined) {
    if (settings !== undefined)
      throw new TypeError(
        `${owner}: auth settings need a tokenVerifier to check tokens with (tokenVerifier: new JWTVerifier({...}) from "fastmcp-ts/auth")`,
      );
    return undefined;
  }
  if (typeof (verifier as Partial<TokenVerifier> | null)?.verifyToken !== "function")
    throw new TypeError(
      `${owner}: tokenVerifier must be an object with a verifyToken(token) method`,
    );
  if (settings === undefined) return { verifier, requiredScopes: [], metadata: undefined };
  if (settings.resourceServerUrl === undefined)
    throw new TypeError(
      `${owner}: auth.resourceServerUrl is required: the URL clients use for this server's MCP endpoint (e.g. "https://mcp.example.com/mcp")`,
    );
  const issuers = [settings.issuerUrl ?? []].flat() as (string | URL)[];
  if (issuers.length === 0)
    throw new TypeError(
      `${owner}: auth.issuerUrl is required: the authorization server that issues this server's tokens`,
    );
  const requiredScopes = checkScopes(settings.requiredScopes, owner, "requiredScopes");
  const supported =
    settings.scopesSupported === undefined
      ? requiredScopes
      : checkScopes(settings.scopesSupported, owner, "scopesSupported");
  const resource = resourceUrl(settings.resourceServerUrl, owner);
  const document: Record<string, unknown> = {
    resource: withoutRootSlash(resource),
    authorization_servers: issuers.map((issuer) => httpUrl(issuer, owner, "issuerUrl")),
    bearer_methods_supported: ["header"],
  };
  if (supported.length > 0) document.scopes_supported = supported;
  if (settings.serviceDocumentationUrl !== undefined)
    document.resource_documentation = httpUrl(
      settings.serviceDocumentationUrl,
      owner,
      "serviceDocumentationUrl",
    );
  if (settings.resourceName !== undefined) document.resource_name = String(settings.resourceName);
  const url = metadataUrl(resource);
  return {
    verifier,
    requiredScopes,
    metadata: { url: url.href, path: url.pathname, json: JSON.stringify(document) },
  };
}

/** Scopes of `required` the token does not grant; empty when it grants them all. */
export function missingScopes(token: AccessToken, required: readonly string[]): string[] {
  const missing: string[] = [];
  for (const scope of required) if (!token.scopes.includes(scope)) missing.push(scope);
  return missing;
}
