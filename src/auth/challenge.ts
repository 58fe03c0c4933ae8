import type { ServerAuth } from "./server-auth.js";

/** What a `WWW-Authenticate: Bearer` challenge says besides where the metadata is. */
export interface ChallengeParams {
  /** RFC 6750 error code; absent when the request carried no credentials at all. */
  readonly error?: "invalid_request" | "invalid_token" | "insufficient_scope" | undefined;
  /** Every scope the operation needs, in one challenge (never one at a time). */
  readonly scopes?: readonly string[] | undefined;
  readonly description?: string | undefined;
}

/** An auth-param value as RFC 7235 quotes it (the values here are ours, but quotes and backslashes are escaped anyway). */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/**
 * The `WWW-Authenticate` value for a refusal: `resource_metadata` (RFC 9728)
 * so clients find the authorization server, `scope` so they ask for the
 * right scopes, `error` when a token was sent and is not good enough.
 */
export function bearerChallenge(auth: ServerAuth, params: ChallengeParams): string {
  const parts: string[] = [];
  if (params.error !== undefined) parts.push(`error=${quoted(params.error)}`);
  const scopes = params.scopes ?? auth.requiredScopes;
  if (scopes.length > 0) parts.push(`scope=${quoted(scopes.join(" "))}`);
  if (auth.metadata) parts.push(`resource_metadata=${quoted(auth.metadata.url)}`);
  if (params.description !== undefined)
    parts.push(`error_description=${quoted(params.description)}`);
  return parts.length === 0 ? "Bearer" : `Bearer ${parts.join(", ")}`;
}
