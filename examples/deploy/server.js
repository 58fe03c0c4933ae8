/**
 * The server the Dockerfile runs. Plain JavaScript, so production needs no
 * TypeScript loader; a TypeScript server would be compiled in the build stage.
 * Its settings come from the environment (FASTMCP_HOST, FASTMCP_PORT, ...).
 */
import { FastMCP } from "fastmcp-ts";
import { z } from "zod";

export const mcp = new FastMCP("deployed", {
  version: "1.0.0",
  instructions: "Arithmetic, served from a container.",
});

mcp.tool(
  "add",
  { description: "Add two numbers.", input: { a: z.number(), b: z.number() } },
  ({ a, b }) => a + b,
);

// `fastmcp-ts run server.js` takes this call over; `node server.js` serves
// through it, with the same environment.
await mcp.run();
