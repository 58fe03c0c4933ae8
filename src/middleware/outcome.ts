import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Result } from "../protocol/middleware.js";

/** How a request ended, as logs and timings report it. */
export type RequestStatus = "ok" | "tool_error" | "input_required" | "error";

/** The status of a request that answered `result`. */
export function statusOfResult(result: Result): RequestStatus {
  if (result.isError === true) return "tool_error";
  return result.resultType === "input_required" ? "input_required" : "ok";
}

/** The JSON-RPC code a thrown error will be answered with (the server's own rule). */
export function codeOfError(error: unknown): number {
  return error instanceof McpError ? error.code : ErrorCode.InternalError;
}
