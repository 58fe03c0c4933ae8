import { clip } from "../util/echo.js";
import { ErrorCode, type JsonRpcErrorObject } from "./jsonrpc.js";

/**
 * A protocol-level error: it becomes a JSON-RPC error response with this code.
 * Throw it from any handler when the request itself is wrong (unknown name,
 * bad params); errors inside a tool's own work belong in `ToolError`.
 */
export class McpError extends Error {
  override readonly name: string = "McpError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    /** `cause`: what the server turned into this error (kept off the wire; `errorMapping` reads it). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export function invalidParams(message: string, data?: unknown): McpError {
  return new McpError(ErrorCode.InvalidParams, message, data);
}

/** `method` is the client's, so only its beginning is repeated. */
export function methodNotFound(method: string): McpError {
  return new McpError(ErrorCode.MethodNotFound, `Method not found: ${clip(method)}`);
}

export function invalidRequest(message: string): McpError {
  return new McpError(ErrorCode.InvalidRequest, message);
}
