/**
 * The demo server: a few tools that show the basics. `npm run demo` serves
 * it over HTTP through the `fastmcp-ts run` command and prints its URL;
 * `npx tsx examples/demo-server.ts` serves it over stdio.
 */
import { z } from "zod";
import { FastMCP, ToolError } from "../src/index.ts";

export const mcp = new FastMCP("Demo", {
  version: "1.0.0",
  instructions: "A demo server: arithmetic, a slow task with progress, and structured weather.",
});

mcp.tool(
  "add",
  { description: "Add two numbers.", input: { a: z.number().int(), b: z.number().int() } },
  ({ a, b }) => a + b,
);

mcp.tool(
  "long_task",
  {
    description: "Execute a long-running task with progress updates.",
    input: { task_name: z.string() },
  },
  async ({ task_name }, ctx) => {
    await ctx.info(`Starting: ${task_name}`);
    await ctx.debug("Initializing...");
    for (let i = 0; i < 5; i++) {
      await ctx.reportProgress((i + 1) / 5, 1.0, `Step ${i + 1}/5`);
    }
    return `Completed: ${task_name}`;
  },
);

mcp.tool(
  "get_weather",
  {
    description: "Get weather for a city.",
    input: { city: z.string() },
    output: z.object({
      temperature: z.number().describe("Temperature in Celsius"),
      conditions: z.string().describe("Weather conditions"),
      humidity: z.number().int().min(0).max(100).describe("Humidity percentage"),
    }),
  },
  ({ city }) => {
    if (city.trim() === "") throw new ToolError("City must not be empty");
    return { temperature: 22.5, conditions: "Partly cloudy", humidity: 65 };
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
