/**
 * Mounting in Hono with the web-standard handler. `app.mount("/api", ...)`
 * strips the prefix, so the endpoint is `/api/mcp`. The same `mcp.fetch`
 * serves Bun (`export default { fetch: mcp.fetch }`), Deno, Workers and
 * Next.js route handlers.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("APIServer");

mcp.tool("api_tool", { description: "Returns a result." }, () => "result");

export function createApp(): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.text("ok"));
  app.mount("/api", mcp.fetch);
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve({ fetch: createApp().fetch, port: 8000, hostname: "127.0.0.1" });
  console.error("MCP at http://127.0.0.1:8000/api/mcp");
}
