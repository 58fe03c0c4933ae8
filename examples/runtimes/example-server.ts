/**
 * The server every runtime entry in this folder serves: the same tools,
 * resource template, prompt, progress and elicitation on Node, Bun, Deno and
 * Cloudflare Workers. Each entry only decides how requests reach `mcp.fetch`
 * (or `mcp.run()` for stdio).
 */
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";

export function createExampleServer(options: { requestStateSecret?: string } = {}): FastMCP {
  const mcp = new FastMCP("Runtime example", { version: "1.0.0", ...options });

  mcp.tool(
    "add",
    { description: "Add two numbers.", input: { a: z.number(), b: z.number() } },
    ({ a, b }) => a + b,
  );

  mcp.tool(
    "count_down",
    {
      description: "Count down, reporting progress at each step.",
      input: { from: z.number().int().min(1).max(20) },
    },
    async ({ from }, ctx) => {
      for (let i = from; i > 0; i--) await ctx.reportProgress(from - i + 1, from, `${i}...`);
      return "Lift-off";
    },
  );

  mcp.tool(
    "greet_user",
    { description: "Ask the user for their name, then greet them." },
    async (_args, ctx) => {
      const answer = await ctx.elicit("What is your name?", { name: z.string() });
      return answer.action === "accept" ? `Hello, ${answer.content.name}!` : "Hello, stranger.";
    },
  );

  mcp.resource(
    "runtime://greetings/{name}",
    { description: "A greeting for someone.", mimeType: "text/plain" },
    ({ name }) => `Greetings, ${name}.`,
  );

  mcp.prompt(
    "summarize",
    { description: "Ask for a summary of a text.", args: { text: z.string() } },
    ({ text }) => `Summarize this in one sentence:\n\n${text}`,
  );

  return mcp;
}
