import { sessionPrincipal } from "../auth/principal.js";
import type { AccessToken } from "../auth/types.js";
import type { InternalScope } from "../protocol/engine-scope.js";
import type { RequestScope } from "../protocol/scope.js";

/**
 * Whom a request comes from, as a key for rate limits and caches: the
 * token's principal (issuer, subject, client), else its legacy session,
 * else its connection (stdio, in memory). Sessionless HTTP without a token
 * has no identity (undefined): a connection there is one request. Rate
 * limits then fall back to the peer's address (`addressOf`); caches do not.
 */
export function callerOf(request: RequestScope): string | undefined {
  return subjectOf(request) ?? clientOf(request);
}

/** The token's principal, when the token states one. Never the token itself. */
export function subjectOf(request: RequestScope): string | undefined {
  const auth = request.auth as Partial<AccessToken> | undefined;
  if (auth === undefined || auth === null || typeof auth !== "object") return undefined;
  if (auth.subject === undefined && auth.clientId === undefined) return undefined;
  return `principal:${sessionPrincipal(auth)}`;
}

/** The legacy session, else the connection; undefined for sessionless HTTP. */
export function clientOf(request: RequestScope): string | undefined {
  const session = request.session?.id;
  if (session !== undefined) return `session:${session}`;
  if (request.http !== undefined) return undefined;
  const channel = (request as Partial<InternalScope>).envelope?.channelId;
  return channel === undefined ? undefined : `channel:${channel}`;
}

/** What a request is about, for log lines: the tool, prompt or resource it names. */
export function targetOf(request: RequestScope): string | undefined {
  const params = request.params;
  switch (request.method) {
    case "tools/call":
    case "prompts/get":
      return typeof params.name === "string" ? params.name : undefined;
    case "resources/read":
    case "resources/subscribe":
    case "resources/unsubscribe":
      return typeof params.uri === "string" ? params.uri : undefined;
    default:
      return undefined;
  }
}
