import { canonicalUri } from "./canonical-uri.js";
import { isScopeList } from "./scope-list.js";
import type { AuthSettings, TokenVerifier } from "./types.js";

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

/** `resourceServerUrl` in its canonical form (what tokens' audiences are compared with). */
function resourceOf(value: string | URL, owner: string): string {
  try {
    return canonicalUri(value);
  } catch (error) {
    throw new TypeError(`${owner}: auth.resourceServerUrl ${(error as Error).message}`);
  }
}

/**
 * RFC 9728 path insertion: `https://mcp.example.com/api/mcp` has its
 * metadata at `https://mcp.example.com/.well-known/oauth-protected-resource/api/mcp`.
 */
function metadataUrl(resource: string): URL {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return new URL(`${METADATA_PREFIX}${path}${url.search}`, url.origin);
}

function checkScopes(value: unknown, owner: string, name: string): readonly string[] {
  if (value === undefined) return [];
  if (!isScopeList(value))
    throw new TypeError(
      `${owner}: auth.${name} must be a list of scope names (printable ASCII without spaces, quotes or backslashes)`,
    );
  return value;
}

/**
 * An absolute http(s) URL, kept exactly as given: an issuer identifier is
 * compared character for character by clients (Auth0's ends with "/").
 */
function httpUrl(value: string | URL, owner: string, name: string): string {
  const text = value instanceof URL ? value.href : String(value);
  if (URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)) return text;
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
  const resource = resourceOf(settings.resourceServerUrl, owner);
  const document: Record<string, unknown> = {
    resource,
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
