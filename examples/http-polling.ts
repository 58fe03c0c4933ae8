/**
 * Polling a long-running tool over Streamable HTTP (SEP-1699, 2025-11-25).
 *
 * `ctx.closeSSEStream()` ends the HTTP response that carries the tool call
 * while the tool keeps working, so no connection stays open for the whole
 * job. The client comes back after the stream's `retry` interval (GET with
 * `Last-Event-ID`) and gets the progress sent meanwhile, then the result.
 * Where the client cannot resume (stdio, 2026-07-28 requests, clients older
 * than 2025-11-25), it does nothing and resolves `false`.
 *
 *   npx tsx examples/http-polling.ts       # then point a client at http://127.0.0.1:8000/mcp
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const mcp = new FastMCP("Reports", {
  // How long clients wait before they come back (the priming event's `retry`). Default 1 s.
  http: { sseRetryMs: 200 },
});

mcp.tool(
  "export_report",
  {
    description: "Export a report page by page, reporting progress.",
    input: { pages: z.number().int().min(1).max(50) },
  },
  async ({ pages }, ctx) => {
    await ctx.reportProgress(0, pages, "Started");
    // Free the connection; a resumable client polls for the rest.
    const polled = await ctx.closeSSEStream();
    for (let page = 1; page <= pages; page++) {
      await sleep(20);
      await ctx.reportProgress(page, pages, `Page ${page} of ${pages}`);
    }
    return `Exported ${pages} pages${polled ? " (the client came back for the result)" : ""}`;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--stdio")) await mcp.run();
  else await mcp.run({ transport: "streamable-http", host: "127.0.0.1", port: 8000 });
}
