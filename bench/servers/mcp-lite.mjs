// mcp-lite with its StreamableHttpTransport, served through Hono on
// @hono/node-server as its README shows; zod reaches tools/list through the
// schema adapter its README gives. Without a session adapter it is stateless;
// stateful serving adds its InMemorySessionAdapter. It has no JSON switch: a
// request whose Accept allows SSE (every one the benchmark sends) is answered
// as an SSE stream. It accepts protocol versions 2025-03-26 and 2025-06-18
// only, and has no stdio transport.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { InMemorySessionAdapter, McpServer, StreamableHttpTransport } from "mcp-lite";
import { z } from "zod";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

const mcp = new McpServer({
  name: "bench",
  version: "1.0.0",
  schemaAdapter: (schema) => z.toJSONSchema(schema),
});
mcp.tool("add", {
  description: ADD_DESCRIPTION,
  inputSchema: z.object(addInput),
  outputSchema: z.object(addOutput),
  handler: async ({ a, b }, ctx) => {
    if (ctx.progress)
      for (let step = 1; step <= PROGRESS_STEPS; step++)
        await ctx.progress({ progress: step, total: PROGRESS_STEPS });
    const structuredContent = { sum: a + b };
    return {
      content: [{ type: "text", text: JSON.stringify(structuredContent) }],
      structuredContent,
    };
  },
});
for (const tool of extraTools)
  mcp.tool(tool.name, {
    description: tool.description,
    inputSchema: z.object(tool.input),
    outputSchema: z.object(tool.output),
    handler: async (args) => {
      const structuredContent = tool.run(args);
      return {
        content: [{ type: "text", text: JSON.stringify(structuredContent) }],
        structuredContent,
      };
    },
  });

gcOnSignal();
if (env.transport === "stdio") {
  process.stderr.write("mcp-lite has no stdio transport\n");
  process.exit(2);
}
const transport = new StreamableHttpTransport(
  env.stateful
    ? { sessionAdapter: new InMemorySessionAdapter({ maxEventBufferSize: 1024 }) }
    : undefined,
);
const handler = transport.bind(mcp);
const app = new Hono();
app.all("/mcp", (c) => handler(c.req.raw));
serve({ fetch: app.fetch, port: env.port, hostname: "127.0.0.1" }, (info) => announce(info.port));
