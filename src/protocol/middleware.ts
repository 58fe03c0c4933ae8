import type { RequestScope } from "./scope.js";

export type Result = Record<string, unknown>;

/**
 * Wraps every request's dispatch: call `next()` to continue, return a result
 * to answer, throw an `McpError` to refuse. Auth, logging, timing and rate
 * limits hook in here, never into transports.
 */
export type Middleware = (request: RequestScope, next: () => Promise<Result>) => Promise<Result>;

export type Dispatch = (request: RequestScope) => Promise<Result>;

/** Composes the chain once, when middleware is added, not per request. */
export function compose(middleware: readonly Middleware[], dispatch: Dispatch): Dispatch {
  return middleware.reduceRight<Dispatch>(
    (next, layer) => (request) => layer(request, () => next(request)),
    dispatch,
  );
}
