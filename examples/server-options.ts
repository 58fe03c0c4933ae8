/**
 * Server initialization: the twin of the guide's "Server Initialization".
 *
 * `statelessHttp`, `jsonResponse` and `streamableHttpPath` configure the
 * Streamable HTTP transport. They are accepted now and take effect once HTTP
 * serving lands; `mcp.run()` serves stdio, where they do not apply.
 */
import { FastMCP } from "../src/index.ts";

/** Basic server. */
export const mcp = new FastMCP("MyServer");

/** Stateless server (no session persistence). */
export const statelessServer = new FastMCP("StatelessServer", { statelessHttp: true });

/** JSON-only responses (no SSE). */
export const jsonServer = new FastMCP("JsonServer", { statelessHttp: true, jsonResponse: true });

/** Custom MCP endpoint path. */
export const customPathServer = new FastMCP("CustomPath", { streamableHttpPath: "/api/v1/mcp" });

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
