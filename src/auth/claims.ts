/**
 * What the verifiers share once a token's claims are known (from a JWT's
 * payload or an introspection answer): the audience and resource checks,
 * the scopes, and the `AccessToken` made from the claims.
 */
import { tryCanonicalUri } from "./canonical-uri.js";
import type { AccessToken } from "./types.js";

/**
 * Whether a token, valid otherwise, has been revoked: given its claims (a
 * JWT's payload, an introspection answer), e.g. to look its `jti` up in a
 * deny list. `true` makes the token invalid.
 */
export type RevocationCheck = (
  claims: Readonly<Record<string, unknown>>,
) => boolean | PromiseLike<boolean>;

/** The audiences a verifier accepts, compared the way `audienceMatches` does. */
export interface AudienceSet {
  /** Exact strings: audiences that are not http(s) URIs (`api://x`, client ids). */
  readonly exact: ReadonlySet<string>;
  /** Canonical forms of the audiences that are http(s) URIs. */
  readonly canonical: ReadonlySet<string>;
}

export function audienceSet(audiences: readonly string[]): AudienceSet {
  const exact = new Set<string>();
  const canonical = new Set<string>();
  for (const audience of audiences) {
    const form = tryCanonicalUri(audience);
    if (form === undefined) exact.add(audience);
    else canonical.add(form);
  }
  return { exact, canonical };
}

/**
 * Whether a token's `aud` (a string or an array of them) names one of the
 * accepted audiences. URIs compare canonically, since the MCP specification
 * has clients send the server's URI as they know it (`HTTPS://Host/mcp/`
 * is the same server as `https://host/mcp`); other audiences compare exactly.
 */
export function audienceMatches(aud: unknown, accepted: AudienceSet): boolean {
  for (const candidate of stringsOf(aud)) {
    if (accepted.exact.has(candidate)) return true;
    const form = tryCanonicalUri(candidate);
    if (form !== undefined && accepted.canonical.has(form)) return true;
  }
  return false;
}

/** Whether an RFC 8707 `resource` claim (a URI or several) is canonically `expected`. */
export function resourceMatches(resource: unknown, expected: string): boolean {
  return stringsOf(resource).some((candidate) => tryCanonicalUri(candidate) === expected);
}

/**
 * The scopes a token grants: `scope` (RFC 8693/9068/7662, space-separated)
 * and `scp` (Entra ID and Okta: an array, or a space-separated string).
 */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  for (const value of [claims.scope, claims.scp]) {
    const words = typeof value === "string" ? value.split(" ") : stringsOf(value);
    for (const word of words) if (word !== "") found.add(word);
  }
  return [...found];
}

export function hasScopes(token: AccessToken, required: readonly string[]): boolean {
  return required.every((scope) => token.scopes.includes(scope));
}

/** The `AccessToken` for verified claims. Frozen: every request sharing it sees the same. */
export function accessTokenFrom(
  token: string,
  claims: Readonly<Record<string, unknown>>,
): AccessToken {
  const clientId = firstString(claims.client_id, claims.azp, claims.cid);
  const audience = stringsOf(claims.aud);
  return Object.freeze({
    token,
    clientId,
    scopes: Object.freeze(scopesOf(claims)),
    expiresAt: typeof claims.exp === "number" ? claims.exp : undefined,
    subject: firstString(claims.sub),
    issuer: firstString(claims.iss),
    audience: claims.aud === undefined ? undefined : Object.freeze(audience),
    resource: firstString(claims.resource),
    claims: Object.freeze({ ...claims }),
  });
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string");
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string") return value;
  return undefined;
}
