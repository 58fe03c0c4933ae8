/**
 * Keeping work alive after a response. Serverless runtimes (Cloudflare
 * Workers, Vercel, Netlify) stop a request's pending timers and promises once
 * its response is done, unless the work is handed to the runtime's
 * `waitUntil`. A task's run outlives the tools/call that created it, so it
 * needs one there; Node, Bun and Deno keep the process alive by themselves.
 */

/** Registers work the runtime must let finish after the response is sent. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * What a runtime passes beside the request that can keep work alive: Workers'
 * `ExecutionContext` (`ctx`), Netlify's `Context`, or `{ waitUntil }` from
 * `@vercel/functions`.
 */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The `waitUntil` among the arguments a runtime passed `mcp.fetch` after the
 * request: Workers call `fetch(request, env, ctx)`, Netlify `(request,
 * context)`, Bun `(request, server)`, Deno `(request, info)`, so any of
 * them may be passed straight through, and the first that has `waitUntil`
 * is used. A `waitUntil` that is not a function is a mistake worth an error:
 * the work it should keep alive would be dropped silently.
 */
export function findWaitUntil(first: unknown, second: unknown): WaitUntil | undefined {
  return fromContext(first, "second") ?? fromContext(second, "third");
}

function fromContext(value: unknown, position: string): WaitUntil | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const waitUntil = (value as { waitUntil?: unknown }).waitUntil;
  if (waitUntil === undefined) return undefined;
  if (typeof waitUntil !== "function") {
    throw new TypeError(
      `mcp.fetch(): the ${position} argument's "waitUntil" must be a function (the runtime's waitUntil), got ${waitUntil === null ? "null" : typeof waitUntil}`,
    );
  }
  // Called on its object: Workers' ctx.waitUntil needs its `this`.
  const host = value as WaitUntilContext;
  return (promise) => host.waitUntil(promise);
}
