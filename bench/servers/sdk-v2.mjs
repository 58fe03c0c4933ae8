// @modelcontextprotocol/server v2 with @modelcontextprotocol/node: `createMcpHandler`
// serves both eras (JSON responses unless a call streams). It has no legacy
// sessions, so stateful serving uses the package's session transport instead.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { NodeStreamableHTTPServerTransport, toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, isInitializeRequest, McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

function build() {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  server.registerTool(
    "add",
    {
      description: ADD_DESCRIPTION,
      inputSchema: z.object(addInput),
      outputSchema: z.object(addOutput),
    },
    async ({ a, b }, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      if (progressToken !== undefined)
        for (let step = 1; step <= PROGRESS_STEPS; step++)
          await ctx.mcpReq.notify({
            method: "notifications/progress",
            params: { progressToken, progress: step, total: PROGRESS_STEPS },
          });
      const structuredContent = { sum: a + b };
      return {
        content: [{ type: "text", text: JSON.stringify(structuredContent) }],
        structuredContent,
      };
    },
  );
  for (const tool of extraTools)
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: z.object(tool.input),
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
  return server;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
    req.on("error", reject);
  });
}

const sessions = new Map();

async function stateful(req, res) {
  const body = req.method === "POST" ? await readJson(req) : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = typeof id === "string" ? sessions.get(id) : undefined;
  if (!transport && isInitializeRequest(body)) {
    transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: env.response === "json",
      onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await build().connect(transport);
  }
  if (!transport) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end('{"jsonrpc":"2.0","error":{"code":-32000,"message":"No valid session"},"id":null}');
    return;
  }
  await transport.handleRequest(req, res, body);
}

gcOnSignal();
if (env.transport === "stdio") {
  await build().connect(new StdioServerTransport());
} else {
  let handle;
  if (env.stateful) {
    handle = (req, res) =>
      stateful(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  } else {
    const mcp = createMcpHandler(() => build(), {
      responseMode: env.response === "json" ? "json" : "auto",
    });
    handle = toNodeHandler(mcp);
  }
  const http = createServer(handle);
  http.listen(env.port, "127.0.0.1", () => announce(http.address().port));
}
