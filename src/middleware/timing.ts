import type { Middleware } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { codeOfError, type RequestStatus, statusOfResult } from "./outcome.js";

/** One request's duration, for `timing()`. */
export interface RequestTiming {
  readonly method: string;
  readonly durationMs: number;
  readonly status: RequestStatus;
  /** The JSON-RPC error code, when `status` is `"error"`. */
  readonly errorCode?: number;
  readonly request: RequestScope;
}

/**
 * Measures every request from the middleware's place in the chain to its
 * answer and hands the duration to `report` (a histogram, a log). Add it
 * first to measure everything the other middleware does too.
 */
export function timing(report: (timing: RequestTiming) => void): Middleware {
  if (typeof report !== "function")
    throw new TypeError("timing(report): report must be a function that takes a RequestTiming");
  return async (request, next) => {
    const start = performance.now();
    try {
      const result = await next();
      report({
        method: request.method,
        durationMs: performance.now() - start,
        status: statusOfResult(result),
        request,
      });
      return result;
    } catch (error) {
      report({
        method: request.method,
        durationMs: performance.now() - start,
        status: "error",
        errorCode: codeOfError(error),
        request,
      });
      throw error;
    }
  };
}
