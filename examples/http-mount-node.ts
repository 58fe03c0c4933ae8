/**
 * One MCP server inside a plain node:http application, under a prefix: the
 * twin of the guide's "Basic Mounting". The handler answers its own path
 * (`/api/mcp`) and passes everything else to `next`.
 */
import { createServer, type Server } from "node:http";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("APIServer", { streamableHttpPath: "/api/mcp" });

mcp.tool("api_tool", { description: "Returns a result." }, () => "result");

export function createApp(): Server {
  const handleMcp = mcp.nodeHandler();
  return createServer((req, res) => {
    handleMcp(req, res, () => {
      // Not an MCP request: the rest of your application.
      res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "text/plain" });
      res.end(req.url === "/health" ? "ok" : "Not Found");
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp().listen(8000, "127.0.0.1", () => {
    console.error("MCP at http://127.0.0.1:8000/api/mcp");
  });
}
