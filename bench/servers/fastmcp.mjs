// npm `fastmcp`: its httpStream transport, stateless, JSON responses.
import { FastMCP } from "fastmcp";
import { z } from "zod";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

const server = new FastMCP({ name: "bench", version: "1.0.0" });
server.addTool({
  name: "add",
  description: ADD_DESCRIPTION,
  parameters: z.object(addInput),
  outputSchema: z.object(addOutput),
  execute: async ({ a, b }, { reportProgress }) => {
    for (let step = 1; step <= PROGRESS_STEPS; step++)
      await reportProgress({ progress: step, total: PROGRESS_STEPS });
    return { sum: a + b };
  },
});
for (const tool of extraTools)
  server.addTool({
    name: tool.name,
    description: tool.description,
    parameters: z.object(tool.input),
    outputSchema: z.object(tool.output),
    execute: async (args) => tool.run(args),
  });

gcOnSignal();
if (env.transport === "stdio") {
  await server.start({ transportType: "stdio" });
} else {
  const port = env.port || 18_000 + Math.floor(Math.random() * 2000);
  await server.start({
    transportType: "httpStream",
    httpStream: {
      host: "127.0.0.1",
      port,
      endpoint: "/mcp",
      stateless: !env.stateful,
      enableJsonResponse: env.response === "json",
    },
  });
  announce(port);
}
