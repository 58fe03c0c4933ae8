/**
 * Mounting in Express, under `/api`: the endpoint is `/api/mcp`. Express
 * strips the mount prefix, so the server keeps its default path. Body parsers
 * are fine: a body `express.json()` already parsed is used as it is.
 */
import express from "express";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("APIServer");

mcp.tool("api_tool", { description: "Returns a result." }, () => "result");

export function createApp(): express.Express {
  const app = express();
  app.use(express.json({ limit: "4mb" }));
  app.use("/api", mcp.nodeHandler());
  app.get("/health", (_req, res) => {
    res.send("ok");
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp().listen(8000, "127.0.0.1", () => {
    console.error("MCP at http://127.0.0.1:8000/api/mcp");
  });
}
