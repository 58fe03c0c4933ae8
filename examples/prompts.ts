/**
 * Prompts: the twin of the guide's `greet_user` and the multi-message
 * `analyze_with_context`.
 *
 * `args` is a shape of Standard Schemas, one per argument; `prompts/list`
 * shows each with its description and whether it is required (a `.default()`
 * makes it optional). A returned string is one user message; a list becomes
 * one message per item.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

const styles: Record<string, string> = {
  friendly: "Please write a warm, friendly greeting",
  formal: "Please write a formal, professional greeting",
  casual: "Please write a casual, relaxed greeting",
};

mcp.prompt(
  "greet_user",
  {
    description: "Generate greeting prompt.",
    args: { name: z.string(), style: z.string().default("friendly") },
  },
  ({ name, style }) => `${styles[style] ?? styles.friendly} for ${name}.`,
);

// Multi-message prompts. The guide's `ImageContent(url=...)` is not a valid
// MCP image (images carry base64 data); a link to the image is a
// `resource_link` block. To embed the pixels instead, return `new Image({ data })`.
mcp.prompt(
  "analyze_with_context",
  {
    description: "Generate analysis prompt with image.",
    args: { topic: z.string(), image_url: z.string().url() },
  },
  ({ topic, image_url }) => [
    { type: "text", text: `Analyze the following image in context of: ${topic}` },
    { type: "resource_link", uri: image_url, name: "image" },
  ],
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
