import type { AccessToken } from "../../auth/types.js";
import { ErrorCode } from "../../protocol/jsonrpc.js";
import { declaresModernMeta, isRecord } from "../../protocol/meta.js";
import { isModernVersion } from "../../protocol/versions.js";
import { authorizeMessage } from "./auth-gate.js";
import type { EndpointContext } from "./endpoint-context.js";
import { type HttpExchange, TIMED_OUT, TOO_LARGE } from "./exchange.js";
import { serveLegacyPost } from "./post-legacy.js";
import { serveModernPost } from "./post-modern.js";
import { acceptsAny, errorReply, type Headers } from "./replies.js";
import { noteMessage } from "./target.js";

/**
 * POST: one JSON-RPC message. Checks what HTTP can check (media types, size,
 * JSON), tells the era of the message, then hands it to that era's handling.
 */
export async function servePost(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  token: AccessToken | undefined,
): Promise<void> {
  const contentType = ex.header("content-type");
  if (contentType === undefined || !/^application\/json\s*(;|$)/i.test(contentType.trim()))
    return errorReply(
      ex,
      headers,
      415,
      undefined,
      ErrorCode.InvalidRequest,
      "Unsupported Media Type: Content-Type must be application/json",
    );
  const accept = ex.header("accept");
  if (accept !== undefined && !acceptsAny(accept, ["application/json", "text/event-stream"]))
    return errorReply(
      ex,
      headers,
      406,
      undefined,
      ErrorCode.InvalidRequest,
      "Not Acceptable: Accept must include application/json and text/event-stream",
    );
  const { maxBodyBytes, bodyTimeoutMs } = ctx.settings;
  const body = await ex.readBody(maxBodyBytes, bodyTimeoutMs);
  if (body === TOO_LARGE)
    return errorReply(
      ex,
      { ...headers, connection: "close" },
      413,
      undefined,
      ErrorCode.InvalidRequest,
      `Payload Too Large: the body exceeds ${maxBodyBytes} bytes`,
    );
  // The rest of a body that slow is not waited for: the connection closes.
  if (body === TIMED_OUT)
    return errorReply(
      ex,
      { ...headers, connection: "close" },
      408,
      undefined,
      ErrorCode.InvalidRequest,
      `Request Timeout: the body did not arrive within ${bodyTimeoutMs} ms`,
    );
  let message: unknown;
  if (typeof body === "string") {
    try {
      message = JSON.parse(body);
    } catch {
      return errorReply(
        ex,
        headers,
        400,
        undefined,
        ErrorCode.ParseError,
        "Parse error: the body is not valid JSON",
      );
    }
  } else {
    message = body.parsed;
  }
  if (!isRecord(message)) {
    return errorReply(
      ex,
      headers,
      400,
      undefined,
      ErrorCode.InvalidRequest,
      Array.isArray(message)
        ? "Invalid request: JSON-RPC batches are not supported; send one message per POST"
        : "Invalid request: expected a JSON-RPC message object",
    );
  }
  const params = isRecord(message.params) ? message.params : undefined;
  noteMessage(ex, message, params);
  const headerVersion = ex.header("mcp-protocol-version")?.trim();
  const modern =
    declaresModernMeta(params?._meta) ||
    (headerVersion !== undefined && isModernVersion(headerVersion));
  // Per-component step-up, before either era's handling: the method and
  // target in the body are what will be dispatched (a 2026-07-28 request's
  // Mcp-Method/Mcp-Name headers must agree with them, or it is refused).
  if (
    token !== undefined &&
    ctx.auth !== undefined &&
    !authorizeMessage(ctx.auth, ctx.host, token, message, ex, headers)
  )
    return;
  // Awaited, not returned: an async function that returns a promise pays a
  // thenable job (one more promise, two more turns) to adopt it.
  await (modern
    ? serveModernPost(ctx, ex, headers, message, params ?? {}, token)
    : serveLegacyPost(ctx, ex, headers, message, headerVersion, token));
}
