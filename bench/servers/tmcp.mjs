// tmcp with its HTTP transport, served by node:http through
// @remix-run/node-fetch-server as its README shows. tmcp has no stateless
// switch for 2025-era requests: each one without a session id gets a new id.
import { createServer } from "node:http";
import { createRequestListener } from "@remix-run/node-fetch-server";
import { ZodJsonSchemaAdapter } from "@tmcp/adapter-zod";
import { HttpTransport } from "@tmcp/transport-http";
import { StdioTransport } from "@tmcp/transport-stdio";
import { McpServer } from "tmcp";
import { z } from "zod";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

const server = new McpServer(
  { name: "bench", version: "1.0.0", description: "benchmark server" },
  { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: { listChanged: true } } },
);
server.tool(
  {
    name: "add",
    description: ADD_DESCRIPTION,
    schema: z.object(addInput),
    outputSchema: z.object(addOutput),
  },
  async ({ a, b }) => {
    for (let step = 1; step <= PROGRESS_STEPS; step++) server.progress(step, PROGRESS_STEPS);
    const structuredContent = { sum: a + b };
    return {
      content: [{ type: "text", text: JSON.stringify(structuredContent) }],
      structuredContent,
    };
  },
);
for (const tool of extraTools)
  server.tool(
    {
      name: tool.name,
      description: tool.description,
      schema: z.object(tool.input),
      outputSchema: z.object(tool.output),
    },
    async (args) => {
      const structuredContent = tool.run(args);
      return {
        content: [{ type: "text", text: JSON.stringify(structuredContent) }],
        structuredContent,
      };
    },
  );

gcOnSignal();
if (env.transport === "stdio") {
  new StdioTransport(server).listen();
} else {
  const transport = new HttpTransport(server, { path: "/mcp" });
  const http = createServer(
    createRequestListener(async (request) => {
      const response = await transport.respond(request);
      return response ?? new Response(null, { status: 404 });
    }),
  );
  http.listen(env.port, "127.0.0.1", () => announce(http.address().port));
}
