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
 *   npx wrangler secret put MCP_REQUEST_STATE_SECRET   # once, any long random string
 *   npx wrangler deploy                                 # wrangler.jsonc beside this file
 *   npx wrangler dev                                    # locally, at http://localhost:8787/mcp
 */
import type { FastMCP } from "../../src/index.ts";
import { createExampleServer } from "./example-server.ts";

interface Env {
  /** Seals 2026-07-28 request state; the same in every isolate. */
  readonly MCP_REQUEST_STATE_SECRET?: string;
}

// Built on the first request, where the Worker's bindings (env) are at hand; then kept for
// every request this isolate serves.
let mcp: FastMCP | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    mcp ??= createExampleServer({
      statelessHttp: true,
      requestStateSecret: env.MCP_REQUEST_STATE_SECRET,
    });
    return mcp.fetch(request);
  },
};
