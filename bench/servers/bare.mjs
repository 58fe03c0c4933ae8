// The ceiling: node:http that reads and parses the same request and answers
// precomputed JSON (the id spliced in). No framework can be faster than this
// on this machine; it validates nothing.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { announce, env, extraToolNames, gcOnSignal } from "./common.mjs";

const addSchema = {
  type: "object",
  properties: { a: { type: "number" }, b: { type: "number" } },
  required: ["a", "b"],
};
const tools = [
  {
    name: "add",
    description: "Add two numbers.",
    inputSchema: addSchema,
    outputSchema: { type: "object", properties: { sum: { type: "number" } }, required: ["sum"] },
  },
  ...extraToolNames.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: {
      type: "object",
      properties: {
        text: { type: "string", description: "The text to echo" },
        times: { type: "integer" },
      },
      required: ["text"],
    },
    outputSchema: {
      type: "object",
      properties: { echoed: { type: "string" } },
      required: ["echoed"],
    },
  })),
];
const MODERN_META = { "io.modelcontextprotocol/serverInfo": { name: "bench", version: "1.0.0" } };

/** `{"jsonrpc":"2.0","id":` + id + the rest, precomputed per answer. */
function template(result) {
  const tail = JSON.stringify({ result }).slice(1);
  return (id) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},${tail}`;
}
const sum = { content: [{ type: "text", text: '{"sum":3}' }], structuredContent: { sum: 3 } };
const answers = {
  call: template(sum),
  callModern: template({ ...sum, resultType: "complete", _meta: MODERN_META }),
  list: template({ tools }),
  listModern: template({
    tools,
    resultType: "complete",
    ttlMs: 0,
    cacheScope: "private",
    _meta: MODERN_META,
  }),
  initialize: template({
    protocolVersion: "2025-11-25",
    capabilities: { tools: { listChanged: true } },
    serverInfo: { name: "bench", version: "1.0.0" },
  }),
  empty: template({}),
};
const progress = (token, step) =>
  JSON.stringify({
    jsonrpc: "2.0",
    method: "notifications/progress",
    params: { progressToken: token, progress: step, total: 2 },
  });

function answer(message) {
  const modern = message.params?._meta?.["io.modelcontextprotocol/protocolVersion"] !== undefined;
  switch (message.method) {
    case "tools/call":
      return (modern ? answers.callModern : answers.call)(message.id);
    case "tools/list":
      return (modern ? answers.listModern : answers.list)(message.id);
    case "initialize":
      return answers.initialize(message.id);
    default:
      return answers.empty(message.id);
  }
}

let sessions = 0;
gcOnSignal();
if (env.transport === "stdio") {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const message = JSON.parse(line);
    if (message.id !== undefined) process.stdout.write(`${answer(message)}\n`);
  });
} else {
  const http = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const message = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      if (message.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const headers = { "content-type": "application/json" };
      if (message.method === "initialize" && env.stateful)
        headers["mcp-session-id"] = `s${++sessions}`;
      const token = message.params?._meta?.progressToken;
      if (env.response === "sse" && token !== undefined) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.end(
          `event: message\ndata: ${progress(token, 1)}\n\nevent: message\ndata: ${progress(token, 2)}\n\nevent: message\ndata: ${answer(message)}\n\n`,
        );
        return;
      }
      const body = answer(message);
      headers["content-length"] = Buffer.byteLength(body);
      res.writeHead(200, headers).end(body);
    });
  });
  http.listen(env.port, "127.0.0.1", () => announce(http.address().port));
}
