/**
 * A basic tool: the twin of the guide's `@mcp.tool() def add(a: int, b: int) -> int`.
 *
 * The name is the first argument, the docstring becomes `description`, and the
 * type hints become `input`: one Standard Schema per argument. The generated
 * input schema is `{ type: "object", properties: { a: { type: "integer" },
 * b: { type: "integer" } }, required: ["a", "b"] }`.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

mcp.tool(
  "add",
  { description: "Add two numbers.", input: { a: z.number().int(), b: z.number().int() } },
  ({ a, b }) => a + b,
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
