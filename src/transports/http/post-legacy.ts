import type { AccessToken } from "../../auth/types.js";
import type { Envelope } from "../../protocol/envelope.js";
import { ErrorCode, isRequestId, type JsonRpcResponse } from "../../protocol/jsonrpc.js";
import { isLegacyVersion, LEGACY_VERSIONS, versionAtLeast } from "../../protocol/versions.js";
import type { SessionRecord } from "../../state/session.js";
import { clip } from "../../util/echo.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { HttpExchange } from "./exchange.js";
import { acceptedOrRefused, errorReply, type Headers } from "./replies.js";
import { RequestReply, type Resumable } from "./reply.js";
import { ownSession, SESSION_NOT_FOUND, storeUnavailable } from "./sessions.js";

const STATELESS_NO_ASKS =
  "a legacy request over stateless HTTP cannot receive the answer (no session ties it to this request); " +
  "use sessions, or a 2026-07-28 client, where asks are multi-round-trip results";

/**
 * A legacy POST (2024-11-05 to 2025-11-25): `initialize` opens a session,
 * everything after it names the session in `Mcp-Session-Id` (unless the
 * endpoint is stateless). Requests are not cancelled when the connection
 * drops (the spec says SHOULD NOT); with a session their events are stored,
 * so the client can resume the stream.
 */
export async function serveLegacyPost(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  message: Record<string, unknown>,
  headerVersion: string | undefined,
  token: AccessToken | undefined,
): Promise<void> {
  const id = isRequestId(message.id) ? message.id : undefined;
  if (headerVersion !== undefined && !isLegacyVersion(headerVersion))
    return errorReply(
      ex,
      headers,
      400,
      id,
      ErrorCode.InvalidRequest,
      `Bad Request: unsupported MCP-Protocol-Version "${clip(headerVersion)}" (supported: ${[...LEGACY_VERSIONS, "2026-07-28"].join(", ")})`,
    );
  const isRequest = typeof message.method === "string" && id !== undefined;
  // Awaited, not returned (see servePost's end).
  if (ctx.settings.stateless) {
    await serveLegacy(ctx, ex, headers, message, isRequest, undefined, headerVersion, token);
    return;
  }

  let session: SessionRecord | undefined;
  if (isRequest && message.method === "initialize") {
    let count: number;
    try {
      count = await ctx.host.sessions.size();
    } catch (error) {
      return storeUnavailable(ctx, ex, headers, id, false, error);
    }
    if (count >= ctx.settings.maxSessions)
      return errorReply(
        ex,
        { ...headers, "retry-after": "5" },
        503,
        id,
        ErrorCode.InternalError,
        "Service Unavailable: too many sessions; try again later",
      );
  } else {
    const sessionId = ex.header("mcp-session-id");
    if (sessionId === undefined)
      return errorReply(
        ex,
        headers,
        400,
        id,
        ErrorCode.InvalidRequest,
        "Bad Request: Mcp-Session-Id header is required (send initialize first)",
      );
    try {
      session = await ownSession(ctx, sessionId, token);
    } catch (error) {
      return storeUnavailable(ctx, ex, headers, id, isRequest, error);
    }
    if (!session)
      return errorReply(ex, headers, 404, id, ErrorCode.InvalidRequest, SESSION_NOT_FOUND);
  }
  await serveLegacy(ctx, ex, headers, message, isRequest, session, headerVersion, token);
}

async function serveLegacy(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  message: Record<string, unknown>,
  isRequest: boolean,
  session: SessionRecord | undefined,
  headerVersion: string | undefined,
  auth: AccessToken | undefined,
): Promise<void> {
  const { host, settings } = ctx;
  const legacyVersion = isLegacyVersion(headerVersion) ? headerVersion : "2025-03-26";
  if (!isRequest) {
    // Notifications and responses to our requests: hand over, then 202.
    const refused = await host.handleMessage(message, {
      outbound: { send: () => {} },
      channelId: session?.id ?? ctx.channel(),
      sessionId: session?.id,
      session,
      legacyVersion,
      auth,
    });
    return acceptedOrRefused(ex, headers, refused);
  }
  const store = settings.eventStore;
  const streamId = session && store ? ctx.streamId(session.id) : undefined;
  const resumable: Resumable | undefined =
    session && store && streamId !== undefined
      ? {
          store,
          streamId,
          prime: versionAtLeast(session.protocolVersion, "2025-11-25"),
          retryMs: settings.sseRetryMs,
          keepMs: settings.resumeWindowMs,
        }
      : undefined;
  const sessionTopic = session ? host.sessionTopic(session.id) : undefined;
  const reply = new RequestReply({
    ex,
    headers,
    jsonOnly: settings.jsonResponse,
    keepAliveMs: settings.sseKeepAliveMs,
    resumable,
    elsewhere:
      sessionTopic === undefined
        ? undefined
        : (note) =>
            void host.bus
              .publish(sessionTopic, note)
              .catch((error: unknown) =>
                host.logger.warn("Could not publish a notification to the session's stream", error),
              ),
    statusFor: legacyStatus,
    onDone: streamId === undefined ? undefined : () => live?.remove(),
    onStoreError: (message, error) => host.logger.warn(message, error),
  });
  const live = streamId === undefined ? undefined : ctx.live.add({ streamId, reply });
  const envelope: Envelope = {
    outbound: reply,
    channelId: session?.id ?? ctx.channel(),
    sessionId: session?.id,
    session,
    legacyVersion: session ? undefined : legacyVersion,
    http: ctx.httpInfo(ex),
    waitUntil: ex.waitUntil,
    auth,
    bindSession: settings.stateless
      ? undefined
      : (sessionId) => {
          reply.sessionId = sessionId;
          ex.mcpSession = sessionId;
        },
    sessionIdleTimeoutMs: settings.sessionIdleTimeoutMs,
    noClientRequests: session ? undefined : STATELESS_NO_ASKS,
  };
  const finishing = reply.finish(await host.handleMessage(message, envelope));
  if (finishing !== undefined) await finishing;
}

/** Legacy errors travel in a 200 response, like results; a rate limit is HTTP's own 429. */
function legacyStatus(response: JsonRpcResponse): number {
  return "error" in response && response.error.code === ErrorCode.RateLimited ? 429 : 200;
}
