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
import { telemetryOptions } from "./otel.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

// session-redis: every store in Redis (the harness starts the redis-server).
const redis = process.env.REDIS_URL
  ? (await import("../../dist/redis/index.js")).redisState({ url: process.env.REDIS_URL })
  : undefined;
const mcp = new FastMCP("bench", {
  ...redis,
  statelessHttp: !env.stateful,
  jsonResponse: env.response === "json",
  ...(await authOptions()),
  ...(await telemetryOptions()),
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
    // call-workers: processes on one port (node:cluster); 1 serves in this process.
    workers: Number(process.env.WORKERS ?? 1),
    ...deadlines(),
    onListening: ({ port }) => announce(port),
  });
