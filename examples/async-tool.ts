/**
 * An async tool: the twin of the guide's `fetch_data(url)`, which uses httpx.
 *
 * Handlers may return a promise. This one uses the web-standard `fetch`, and
 * passes `ctx.signal` so a client's cancellation aborts the HTTP request too.
 * `createServer` takes the fetch function, so tests can pass their own.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export function createServer(fetchImpl: typeof fetch = fetch): FastMCP {
  const mcp = new FastMCP("MyServer");

  mcp.tool(
    "fetch_data",
    { description: "Fetch data from URL.", input: { url: z.url() } },
    async ({ url }, ctx) => {
      const response = await fetchImpl(url, { signal: ctx.signal });
      return response.text();
    },
  );

  return mcp;
}

export const mcp = createServer();

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
