/**
 * The runtime example on Cloudflare Workers: `mcp.fetch` is the Worker's
 * fetch handler, with Node compatibility off (wrangler.jsonc).
 *
 * Workers keep nothing between requests that another isolate could see, so
 * the server is stateless: 2026-07-28 clients get everything (progress,
 * elicitation by multi round-trip, which needs only `requestStateSecret`,
 * shared by every isolate through a secret binding); legacy clients get
 * tools, resources and prompts without sessions, and no server-to-client
 * requests (see docs/runtimes.md).
 *
 * `brew` is a task tool (docs/tasks.md): its run outlives the tools/call
 * that starts it, which a Worker allows only for work handed to
 * `ctx.waitUntil`, so `ctx` goes to `mcp.fetch`. Tasks live in this
 * isolate's memory: a poll that reaches another isolate does not find them
 * (docs/runtimes.md says what a deployed Worker needs).
 *
 *   npx wrangler secret put MCP_REQUEST_STATE_SECRET   # once, any long random string
 *   npx wrangler deploy                                 # wrangler.jsonc beside this file
 *   npx wrangler dev                                    # locally, at http://localhost:8787/mcp
 */
import { z } from "zod";
import type { FastMCP, WaitUntilContext } from "../../src/index.ts";
import { createExampleServer } from "./example-server.ts";

interface Env {
  /** Seals 2026-07-28 request state; the same in every isolate. */
  readonly MCP_REQUEST_STATE_SECRET?: string;
}

// Built on the first request, where the Worker's bindings (env) are at hand; then kept for
// every request this isolate serves.
let mcp: FastMCP | undefined;

function createWorkerServer(env: Env): FastMCP {
  const server = createExampleServer({
    statelessHttp: true,
    requestStateSecret: env.MCP_REQUEST_STATE_SECRET,
  });
  server.tool(
    "brew",
    {
      description: "Brew a pot of tea, step by step; a task for clients that take one.",
      input: { steps: z.number().int().min(1).max(10) },
      task: "optional",
    },
    async ({ steps }, ctx) => {
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ctx.signal.throwIfAborted();
        await ctx.reportProgress(step, steps, `Step ${step}/${steps}`);
      }
      return `Brewed in ${steps} steps`;
    },
  );
  return server;
}

export default {
  // `ctx` is Workers' ExecutionContext: its waitUntil keeps a task's run alive.
  fetch(request: Request, env: Env, ctx: WaitUntilContext): Promise<Response> {
    mcp ??= createWorkerServer(env);
    return mcp.fetch(request, ctx);
  },
};
