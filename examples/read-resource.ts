/**
 * A tool that reads the server's own resources with `ctx.readResource` (the
 * twin of Python's `ctx.read_resource`): the same lookup a client's
 * `resources/read` gets, templates included.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("Docs");

const documents: Record<string, string> = { intro: "Hello.", guide: "Read the intro first." };

mcp.resource("docs://{name}", { mimeType: "text/plain" }, ({ name }) => documents[name]);

mcp.tool(
  "summarize",
  { description: "Summarize a document by name.", input: { name: z.string() } },
  async ({ name }, ctx) => {
    const [contents] = await ctx.readResource(`docs://${name}`);
    const text = contents && "text" in contents ? contents.text : "";
    return `${name}: ${text.length} characters`;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
