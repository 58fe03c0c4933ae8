/**
 * Serving over Streamable HTTP: the twin of the guide's
 * `mcp.run(transport="streamable-http")`. One call starts a node:http server
 * on 127.0.0.1:8000 at `/mcp`, serving both protocol eras on that URL, and
 * shuts down gracefully on Ctrl-C (running requests finish, streams close,
 * the lifespan ends).
 *
 *   npx tsx examples/http-server.ts        # then point a client at http://127.0.0.1:8000/mcp
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("HttpServer");

mcp.tool(
  "add",
  { description: "Add two numbers.", input: { a: z.number().int(), b: z.number().int() } },
  ({ a, b }) => a + b,
);

// The seed's server variants: no sessions, JSON-only responses, a custom path.
export const stateless = new FastMCP("StatelessServer", { statelessHttp: true });
export const jsonOnly = new FastMCP("JsonServer", { statelessHttp: true, jsonResponse: true });
export const customPath = new FastMCP("CustomPath", { streamableHttpPath: "/api/v1/mcp" });

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run({ transport: "streamable-http", host: "127.0.0.1", port: 8000 });
}
