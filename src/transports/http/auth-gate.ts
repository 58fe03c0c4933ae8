import { bearerChallenge, type ChallengeParams } from "../../auth/challenge.js";
import { missingScopes } from "../../auth/scope-list.js";
import type { ServerAuth } from "../../auth/server-auth.js";
import type { AccessToken } from "../../auth/types.js";
import type { Logger } from "../../logger.js";
import { isRecord } from "../../protocol/meta.js";
import type { TransportHost } from "../host.js";
import type { HttpExchange } from "./exchange.js";
import type { Headers } from "./replies.js";
import { targetParam } from "./target.js";

/** RFC 6750's b64token: what may follow `Bearer `. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Checks the bearer token of a request to an endpoint behind auth. Returns
 * the verified token, or answers the refusal itself (400, 401 or 503) and
 * returns undefined. The token never reaches a log line or an error.
 */
export async function authenticate(
  auth: ServerAuth,
  ex: HttpExchange,
  headers: Headers,
  logger: Logger,
): Promise<AccessToken | undefined> {
  if (ex.query.has("access_token")) {
    refuse(ex, headers, auth, 400, {
      error: "invalid_request",
      description:
        "Access tokens in the query string are refused; send an Authorization: Bearer header",
    });
    return undefined;
  }
  const header = ex.header("authorization");
  // No credentials, or another scheme (RFC 6750 3.1: then no error code): the challenge alone.
  if (header === undefined || !/^bearer(?: |$)/i.test(header)) {
    refuse(ex, headers, auth, 401, { description: "Authorization required" });
    return undefined;
  }
  const match = BEARER.exec(header);
  if (match === null) {
    refuse(ex, headers, auth, 400, {
      error: "invalid_request",
      description: "Malformed Authorization header: expected Bearer followed by one token",
    });
    return undefined;
  }
  const raw = match[1] as string;
  let token: AccessToken | null | undefined;
  try {
    token = await auth.verifier.verifyToken(raw);
  } catch (error) {
    logger.error("The token verifier failed; answering 503", scrub(error, raw));
    refuse(ex, { ...headers, "retry-after": "5" }, auth, 503, {
      description: "The access token could not be checked; try again later",
    });
    return undefined;
  }
  if (token == null || !Array.isArray(token.scopes) || expired(token)) {
    refuse(ex, headers, auth, 401, {
      error: "invalid_token",
      description: "The access token is invalid or expired",
    });
    return undefined;
  }
  const missing = missingScopes(token, auth.requiredScopes);
  if (missing.length > 0) {
    refuse(ex, headers, auth, 403, {
      error: "insufficient_scope",
      description: `This server needs the scopes: ${auth.requiredScopes.join(" ")}`,
    });
    return undefined;
  }
  return token;
}

/**
 * Per-component step-up: the scopes the request's target needs (a tool's,
 * resource's or prompt's `scopes`) beside the server's. Answers 403 with
 * every scope the operation needs in one challenge and returns false when
 * the token lacks any.
 */
export function authorize(
  auth: ServerAuth,
  token: AccessToken,
  needed: readonly string[] | undefined,
  ex: HttpExchange,
  headers: Headers,
): boolean {
  if (needed === undefined || needed.length === 0) return true;
  if (missingScopes(token, needed).length === 0) return true;
  const scopes = [...new Set([...auth.requiredScopes, ...needed])];
  refuse(ex, headers, auth, 403, {
    error: "insufficient_scope",
    scopes,
    description: `This operation needs the scopes: ${scopes.join(" ")}`,
  });
  return false;
}

/**
 * Per-component step-up for one JSON-RPC message: the method and target in
 * the body are what will be dispatched (a 2026-07-28 request's
 * `Mcp-Method`/`Mcp-Name` headers must agree with them, or it is refused).
 */
export function authorizeMessage(
  auth: ServerAuth,
  host: Pick<TransportHost, "scopesFor">,
  token: AccessToken,
  message: Record<string, unknown>,
  ex: HttpExchange,
  headers: Headers,
): boolean {
  const method = message.method;
  if (typeof method !== "string") return true;
  const param = targetParam(method);
  const target =
    param !== undefined && isRecord(message.params) ? message.params[param] : undefined;
  if (typeof target !== "string") return true;
  return authorize(auth, token, host.scopesFor(method, target), ex, headers);
}

/** Past its `expiresAt` (seconds since the epoch), whatever the verifier said. */
function expired(token: AccessToken): boolean {
  return token.expiresAt !== undefined && token.expiresAt * 1000 <= Date.now();
}

function refuse(
  ex: HttpExchange,
  headers: Headers,
  auth: ServerAuth,
  status: number,
  params: ChallengeParams,
): void {
  const body: Record<string, string> = {
    error: params.error ?? (status === 503 ? "temporarily_unavailable" : "invalid_token"),
  };
  if (params.description !== undefined) body.error_description = params.description;
  const out: Headers = { ...headers, "content-type": "application/json" };
  if (status !== 503) out["www-authenticate"] = bearerChallenge(auth, params);
  ex.reply(status, out, JSON.stringify(body));
}

/** A verifier's error as logged: its message and stack with the token cut out, should a verifier have put it there. */
function scrub(error: unknown, token: string): unknown {
  if (!(error instanceof Error)) return String(error).split(token).join("[token]");
  const copy = new Error(error.message.split(token).join("[token]"));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = error.stack.split(token).join("[token]");
  return copy;
}
