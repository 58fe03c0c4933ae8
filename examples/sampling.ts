/**
 * Sampling: the twin of Python FastMCP's `generate_poem` example.
 *
 * `ctx.sample(prompt, options)` asks the client's model for a completion;
 * the client chooses the model and may show the request to the user first.
 * The answer's text is `result.text`. Both protocol eras, one handler.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("Poet");

mcp.tool(
  "generate_poem",
  { description: "Generate a poem using LLM sampling.", input: { topic: z.string() } },
  async ({ topic }, ctx) => {
    const result = await ctx.sample(`Write a short poem about ${topic}`, {
      systemPrompt: "You are a poet. Answer with the poem only.",
      maxTokens: 100,
    });
    return result.text;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
