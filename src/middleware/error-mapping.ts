import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Middleware } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";

/**
 * What `errorMapping` returns for one thrown error: an `McpError` to answer
 * with, or undefined to leave the error to the server (which logs it and
 * answers -32603, masked when `maskErrorDetails` is on).
 */
export type ErrorMapper = (error: unknown, request: RequestScope) => McpError | undefined;

/**
 * Maps your own errors (not found, forbidden, conflict) to consistent
 * JSON-RPC errors in one place: what resource readers, prompts and
 * completers throw (the server has made them -32603 errors; `map` gets the
 * original), and what hooks and inner middleware throw. Errors a tool throws
 * are tool results (`isError`, masked by `maskErrorDetails`), not mapped.
 */
export function errorMapping(map: ErrorMapper): Middleware {
  if (typeof map !== "function")
    throw new TypeError(
      "errorMapping(map): map must be a function (error, request) => McpError | undefined",
    );
  return async (request, next) => {
    try {
      return await next();
    } catch (error) {
      // The server's own -32603 for a handler's error keeps the original as its cause.
      const original =
        error instanceof McpError
          ? error.code === ErrorCode.InternalError && error.cause !== undefined
            ? error.cause
            : undefined
          : error;
      if (original === undefined) throw error;
      const mapped = map(original, request);
      if (mapped === undefined) throw error;
      if (!(mapped instanceof McpError))
        throw new TypeError("errorMapping(): the map must return an McpError or undefined", {
          cause: error,
        });
      throw mapped;
    }
  };
}
