// The same server as fastmcp-ts.mjs, with its schemas written as plain JSON
// Schema: fastmcp-ts validates those itself, so no schema library is loaded.
// Its tools/list answer is byte for byte the one the zod server gives.
import { FastMCP } from "../../dist/index.js";
import { authOptions } from "./auth.mjs";
import {
  ADD_DESCRIPTION,
  announce,
  env,
  extraToolNames,
  gcOnSignal,
  PROGRESS_STEPS,
} from "./common.mjs";

const object = (properties, required, closed) => ({
  type: "object",
  properties,
  required,
  ...(closed ? { additionalProperties: false } : {}),
});

const mcp = new FastMCP("bench", {
  statelessHttp: !env.stateful,
  jsonResponse: env.response === "json",
  ...(await authOptions()),
});

mcp.tool(
  "add",
  {
    description: ADD_DESCRIPTION,
    input: object({ a: { type: "number" }, b: { type: "number" } }, ["a", "b"]),
    output: object({ sum: { type: "number" } }, ["sum"], true),
  },
  async ({ a, b }, ctx) => {
    for (let step = 1; step <= PROGRESS_STEPS; step++)
      await ctx.reportProgress(step, PROGRESS_STEPS);
    return { sum: a + b };
  },
);
for (const { name, description } of extraToolNames)
  mcp.tool(
    name,
    {
      description,
      input: object(
        { text: { type: "string", description: "The text to echo" }, times: { type: "integer" } },
        ["text"],
      ),
      output: object({ echoed: { type: "string" } }, ["echoed"], true),
    },
    ({ text, times }) => ({ echoed: text.repeat(times ?? 1) }),
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
