/**
 * The twin of the guide's "Custom Path Configuration": with
 * `streamableHttpPath: "/"` the server answers wherever it is mounted, so
 * mounted at `/api` its tools are at `/api`, not `/api/mcp`.
 */
import express from "express";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer", { streamableHttpPath: "/" });

mcp.tool("where", { description: "Says where it is served." }, () => "served at /api");

export function createApp(): express.Express {
  const app = express();
  app.use("/api", mcp.nodeHandler());
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp().listen(8000, "127.0.0.1");
}
