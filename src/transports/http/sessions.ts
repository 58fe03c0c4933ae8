import { sessionPrincipal } from "../../auth/principal.js";
import type { AccessToken } from "../../auth/types.js";
import { ErrorCode, type RequestId } from "../../protocol/jsonrpc.js";
import { isModernVersion } from "../../protocol/versions.js";
import type { SessionRecord } from "../../state/session.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { HttpExchange } from "./exchange.js";
import { errorReply, type Headers, methodNotAllowed } from "./replies.js";

export const SESSION_NOT_FOUND =
  "Session not found: it ended or never existed; send initialize to start a new one";

export const STORE_UNAVAILABLE =
  "Service Unavailable: the server's session store cannot be reached; try again shortly";

/**
 * The session store failed (Redis down): never answered as an unknown
 * session, since a 404 tells the client its session is gone for good. A
 * request inside a session gets a JSON-RPC error for its id, as any failed
 * request would, and keeps its session; anything else (a new session, a
 * notification or response, GET, DELETE) gets 503 with Retry-After. The
 * store's own words go to the log, not to the client.
 */
export function storeUnavailable(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  id: RequestId | undefined,
  inSession: boolean,
  error: unknown,
): void {
  ctx.host.logger.warn("The session store failed; answering Service Unavailable", error);
  if (inSession && id !== undefined) {
    errorReply(ex, headers, 200, id, ErrorCode.InternalError, STORE_UNAVAILABLE);
    return;
  }
  errorReply(
    ex,
    { ...headers, "retry-after": "1" },
    503,
    id,
    ErrorCode.InternalError,
    STORE_UNAVAILABLE,
  );
}

/**
 * The legacy session a GET or DELETE names in `Mcp-Session-Id`. Answers 400
 * (no header) or 404 (unknown, ended, or another principal's) itself and
 * returns undefined then.
 */
export async function requireSession(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  token: AccessToken | undefined,
): Promise<SessionRecord | undefined> {
  const sessionId = ex.header("mcp-session-id");
  if (sessionId === undefined) {
    errorReply(
      ex,
      headers,
      400,
      undefined,
      ErrorCode.InvalidRequest,
      "Bad Request: Mcp-Session-Id header is required",
    );
    return undefined;
  }
  let session: SessionRecord | undefined;
  try {
    session = await ownSession(ctx, sessionId, token);
  } catch (error) {
    storeUnavailable(ctx, ex, headers, undefined, true, error);
    return undefined;
  }
  if (!session)
    errorReply(ex, headers, 404, undefined, ErrorCode.InvalidRequest, SESSION_NOT_FOUND);
  return session;
}

/**
 * The session, if it exists and belongs to the token's principal: another
 * principal's session answers exactly like an unknown one, so a leaked or
 * guessed session id is worth nothing without its owner's token.
 */
export async function ownSession(
  ctx: EndpointContext,
  sessionId: string,
  token: AccessToken | undefined,
): Promise<SessionRecord | undefined> {
  const session = await ctx.host.sessions.get(sessionId);
  if (session === undefined || session.principal === sessionPrincipal(token)) return session;
  return undefined;
}

/** Whether GET and DELETE, which exist for legacy sessions only, are refused with 405. */
export function sessionlessRequest(ctx: EndpointContext, ex: HttpExchange): boolean {
  const headerVersion = ex.header("mcp-protocol-version")?.trim();
  return ctx.settings.stateless || (headerVersion !== undefined && isModernVersion(headerVersion));
}

/** DELETE: the client ends its legacy session. */
export async function serveDelete(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  token: AccessToken | undefined,
): Promise<void> {
  if (sessionlessRequest(ctx, ex)) return methodNotAllowed(ex, headers, ctx.settings);
  const session = await requireSession(ctx, ex, headers, token);
  if (!session) return;
  try {
    await ctx.host.endSession(session.id);
  } catch (error) {
    return storeUnavailable(ctx, ex, headers, undefined, true, error);
  }
  ex.reply(200, headers);
}
