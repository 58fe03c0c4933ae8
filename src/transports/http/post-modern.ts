import type { AccessToken } from "../../auth/types.js";
import type { Envelope } from "../../protocol/envelope.js";
import { McpError } from "../../protocol/errors.js";
import { ErrorCode, isRequestId, type JsonRpcResponse } from "../../protocol/jsonrpc.js";
import { isRecord, META_PROTOCOL_VERSION, parseModernMeta } from "../../protocol/meta.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { HttpExchange } from "./exchange.js";
import { checkModernHeaders } from "./modern-headers.js";
import { acceptedOrRefused, errorReply, type Headers } from "./replies.js";
import { RequestReply } from "./reply.js";

/**
 * A 2026-07-28 POST: no session; the headers must agree with the body; the
 * request is cancelled when its connection closes.
 */
export async function serveModernPost(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  message: Record<string, unknown>,
  params: Record<string, unknown>,
  auth: AccessToken | undefined,
): Promise<void> {
  const method = message.method;
  const id = isRequestId(message.id) ? message.id : undefined;
  if (typeof method !== "string" || id === undefined) {
    // Modern clients send no responses and need no notifications over HTTP; accept and ignore.
    const refused = await ctx.host.handleMessage(message, {
      outbound: { send: () => {} },
      channelId: ctx.channel(),
      http: ctx.httpInfo(ex),
      auth,
    });
    return acceptedOrRefused(ex, headers, refused);
  }
  let modernMeta: ReturnType<typeof parseModernMeta>;
  try {
    const meta = isRecord(params._meta) ? params._meta : {};
    checkModernHeaders(ex, method, params, meta[META_PROTOCOL_VERSION], ctx.paramHeaders);
    modernMeta = parseModernMeta(meta);
  } catch (error) {
    if (!(error instanceof McpError)) throw error;
    return errorReply(ex, headers, 400, id, error.code, error.message, error.data);
  }
  const reply = new RequestReply({
    ex,
    headers,
    jsonOnly: ctx.settings.jsonResponse && method !== "subscriptions/listen",
    keepAliveMs: ctx.settings.sseKeepAliveMs,
    resumable: undefined,
    elsewhere: undefined,
    statusFor: modernStatus,
    onDone: undefined,
  });
  const envelope: Envelope = {
    outbound: reply,
    channelId: ctx.channel(),
    http: ctx.httpInfo(ex),
    waitUntil: ex.waitUntil,
    onCarrierClose: (listener) => ex.onClose(listener),
    modernMeta,
    auth,
  };
  const finishing = reply.finish(await ctx.host.handleMessage(message, envelope));
  if (finishing !== undefined) await finishing;
}

/** 2026-07-28 puts some JSON-RPC errors on HTTP statuses; everything else is 200. */
function modernStatus(response: JsonRpcResponse): number {
  if (!("error" in response)) return 200;
  switch (response.error.code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    case ErrorCode.RateLimited:
      return 429;
    default:
      return 200;
  }
}
