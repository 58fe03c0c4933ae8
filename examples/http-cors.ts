/**
 * CORS for browser clients: the twin of the guide's "CORS Configuration".
 * Browsers hide response headers unless they are exposed, and an MCP client
 * that cannot read `Mcp-Session-Id` cannot keep its session.
 *
 * Two ways: the `cors` option of `run()` (exposes the MCP headers for you), or
 * your framework's own CORS middleware, where you must expose them yourself.
 */
import cors from "cors";
import express from "express";
import { FastMCP, type HttpRunOptions } from "../src/index.ts";

export const mcp = new FastMCP("BrowserServer");

mcp.tool("greet", { description: "Says hello." }, () => "Hello from the server");

/** Option 1: `run()` answers preflights and exposes Mcp-Session-Id and MCP-Protocol-Version. */
export function runWithCors(
  options: Omit<HttpRunOptions, "transport" | "cors"> = {},
): Promise<void> {
  return mcp.run({
    transport: "streamable-http",
    port: 8000,
    ...options,
    cors: { origin: ["http://localhost:3000"] },
  });
}

/** Option 2: Express with the `cors` package. The frontend's origin must also pass the Origin check. */
export function createApp(): express.Express {
  const app = express();
  app.use(
    cors({
      origin: ["http://localhost:3000"], // Frontend URL
      methods: ["GET", "POST", "DELETE"],
      exposedHeaders: ["Mcp-Session-Id", "Mcp-Protocol-Version"], // Critical!
    }),
  );
  app.use(mcp.nodeHandler({ allowedOrigins: ["http://localhost:3000"] }));
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runWithCors();
}
