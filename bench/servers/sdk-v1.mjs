// @modelcontextprotocol/sdk v1, as its README shows: stateless serving makes a
// server and a transport per request; stateful serving keeps a transport per session.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput, extraTools } from "./tools.mjs";

function build() {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  server.registerTool(
    "add",
    { description: ADD_DESCRIPTION, inputSchema: addInput, outputSchema: addOutput },
    async ({ a, b }, extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined)
        for (let step = 1; step <= PROGRESS_STEPS; step++)
          await extra.sendNotification({
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
      { description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
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

const enableJsonResponse = env.response === "json";
const sessions = new Map();

async function stateless(req, res) {
  const body = await readJson(req);
  const server = build();
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse,
  });
  res.on("close", () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

async function stateful(req, res) {
  const body = req.method === "POST" ? await readJson(req) : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = typeof id === "string" ? sessions.get(id) : undefined;
  if (!transport && isInitializeRequest(body)) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse,
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
  const handle = env.stateful ? stateful : stateless;
  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  http.listen(env.port, "127.0.0.1", () => announce(http.address().port));
}
