import type { Logger } from "../logger.js";
import { McpError } from "./errors.js";
import { InputRequired } from "./input-required.js";
import { ErrorCode, errorResponse, type JsonRpcResponse, type RequestId } from "./jsonrpc.js";
import type { LazyAbort } from "./lazy-abort.js";

/** Why a request was aborted, so a cancelled request sends no response (legacy rule). */
export class Cancelled extends Error {
  override readonly name = "Cancelled";
}

/**
 * The answer to a request whose handling threw `error`: none when the client
 * cancelled it, else an error response that says as much as the settings let
 * it (`maskErrorDetails` hides the message of an unexpected error).
 */
export function failureResponse(
  id: RequestId,
  error: unknown,
  controller: LazyAbort,
  logger: Logger,
  maskErrorDetails: boolean,
): JsonRpcResponse | undefined {
  // A cancelled request is not answered, whatever its handler threw on the way out.
  if (controller.reason instanceof Cancelled) return undefined;
  // Aborted by shutdown or a vanished carrier: expected, so said without an alarm in the log.
  if (controller.aborted && error === controller.reason) {
    const why = error instanceof Error ? error.message : String(error);
    return errorResponse(id, ErrorCode.InternalError, `Request aborted: ${why}`);
  }
  if (error instanceof McpError) return errorResponse(id, error.code, error.message, error.data);
  if (error instanceof InputRequired) {
    // A modern-only answer to a legacy request: the handler's mistake, said plainly.
    logger.warn(error.message);
    return errorResponse(id, ErrorCode.InternalError, error.message);
  }
  logger.error("Unhandled error while serving a request", error);
  return errorResponse(
    id,
    ErrorCode.InternalError,
    maskErrorDetails
      ? "Internal error"
      : `Internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
}
