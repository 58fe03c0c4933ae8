/**
 * Roots: the twin of Python FastMCP's `await ctx.list_roots()`.
 *
 * `ctx.listRoots()` returns the directories and files the client exposes to
 * this server (`file://` URIs with optional names). Roots are informational:
 * check paths against them, they are not an access control.
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("Workspace");

mcp.tool(
  "list_workspace",
  { description: "List the folders the client shares with this server." },
  async (_args, ctx) => {
    const roots = await ctx.listRoots();
    if (roots.length === 0) return "The client shares no folders.";
    return roots.map((root) => `${root.name ?? "(unnamed)"}: ${root.uri}`).join("\n");
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
