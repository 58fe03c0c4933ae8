import { z } from "zod";
import { FastMCP } from "../../dist/index.js";
import { authOptions } from "./auth.mjs";
import {
  ADD_DESCRIPTION,
  announce,
  deadlines,
  env,
  gcOnSignal,
  PROGRESS_STEPS,
  reportHeap,
} from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

const mcp = new FastMCP("bench", {
  statelessHttp: !env.stateful,
  jsonResponse: env.response === "json",
  ...(await authOptions()),
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

gcOnSignal(reportHeap);
if (env.transport === "stdio") await mcp.run();
else
  await mcp.run({
    transport: "streamable-http",
    port: env.port,
    logLevel: "error",
    ...deadlines(),
    onListening: ({ port }) => announce(port),
  });
