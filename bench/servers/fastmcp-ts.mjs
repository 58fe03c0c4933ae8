import { z } from "zod";
import { FastMCP } from "../../dist/index.js";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

const mcp = new FastMCP("bench", {
  statelessHttp: !env.stateful,
  jsonResponse: env.response === "json",
});

mcp.tool(
  "add",
  { description: ADD_DESCRIPTION, input: addInput, output: z.object(addOutput) },
  async ({ a, b }, ctx) => {
    for (let step = 1; step <= PROGRESS_STEPS; step++)
      await ctx.reportProgress(step, PROGRESS_STEPS);
    return { sum: a + b };
  },
);
for (const tool of extraTools)
  mcp.tool(
    tool.name,
    { description: tool.description, input: tool.input, output: z.object(tool.output) },
    tool.run,
  );

gcOnSignal();
if (env.transport === "stdio") await mcp.run();
else
  await mcp.run({
    transport: "streamable-http",
    port: env.port,
    logLevel: "error",
    onListening: ({ port }) => announce(port),
  });
