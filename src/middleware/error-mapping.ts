import { McpError } from "../protocol/errors.js";
import type { Middleware } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";

/**
 * What `errorMapping` returns for one thrown error: an `McpError` to answer
 * with, or undefined to leave the error to the server (which logs it and
 * answers -32603, masked when `maskErrorDetails` is on).
 */
export type ErrorMapper = (error: unknown, request: RequestScope) => McpError | undefined;

/**
 * Maps errors thrown by handlers and inner middleware (your own error
 * classes: not found, forbidden, conflict) to consistent JSON-RPC errors in
 * one place. Errors a tool throws are already tool results (`isError`),
 * masked by `maskErrorDetails`; this sees what escapes resources, prompts,
 * completions, hooks and middleware.
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
      if (error instanceof McpError) throw error;
      const mapped = map(error, request);
      if (mapped === undefined) throw error;
      if (!(mapped instanceof McpError))
        throw new TypeError("errorMapping(): the map must return an McpError or undefined", {
          cause: error,
        });
      throw mapped;
    }
  };
}
