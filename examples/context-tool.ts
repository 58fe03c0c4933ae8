/**
 * A tool with context: the twin of the guide's `long_task(task_name, ctx: Context)`.
 *
 * The context is always the handler's second argument. Log messages reach the
 * client as `notifications/message`; progress reaches it as
 * `notifications/progress` when the request carried a progress token.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

mcp.tool(
  "long_task",
  {
    description: "Execute long-running task with progress updates.",
    input: { task_name: z.string() },
  },
  async ({ task_name }, ctx) => {
    // Log messages
    await ctx.info(`Starting: ${task_name}`);
    await ctx.debug("Initializing...");

    // Report progress
    for (let i = 0; i < 5; i++) {
      const progress = (i + 1) / 5;
      await ctx.reportProgress(progress, 1.0, `Step ${i + 1}/5`);
    }

    return `Completed: ${task_name}`;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
