/**
 * A server built with the official v1 SDK (McpServer behind its stateful
 * Streamable HTTP transport), on loopback: a server that speaks only the
 * legacy era, for clients that must fall back to it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export interface SdkServer {
  url: string;
  /** Every request's method and, for POSTs, the JSON-RPC method, in order. */
  requests: { http: string; rpc?: string; session?: string }[];
  stop(): Promise<void>;
}

function build(): McpServer {
  const server = new McpServer({ name: "sdk-v1-server", version: "9.9.9" });
  server.registerTool(
    "multiply",
    {
      description: "Multiply two numbers.",
      inputSchema: { x: z.number(), y: z.number().int() },
    },
    ({ x, y }) => ({ content: [{ type: "text", text: String(x * y) }] }),
  );
  server.registerResource(
    "readme",
    "docs://readme",
    { description: "The read-me.", mimeType: "text/plain" },
    (uri) => ({ contents: [{ uri: uri.href, text: "read me" }] }),
  );
  server.registerPrompt(
    "review",
    { description: "Review code.", argsSchema: { code: z.string() } },
    ({ code }) => ({ messages: [{ role: "user", content: { type: "text", text: code } }] }),
  );
  return server;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The SDK's documented pattern: one transport per session, created by `initialize`. */
export async function serveSdkV1(): Promise<SdkServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const requests: SdkServer["requests"] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = req.method === "POST" ? await body(req) : undefined;
    const session = req.headers["mcp-session-id"] as string | undefined;
    const rpc = (parsed as { method?: string } | undefined)?.method;
    requests.push({ http: req.method ?? "", rpc, session });
    let transport = session === undefined ? undefined : transports.get(session);
    if (transport === undefined && rpc === "initialize") {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId) transports.delete(created.sessionId);
      };
      await build().connect(created);
      transport = created;
    }
    if (transport === undefined) {
      // What the SDK's examples answer a request without a valid session.
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          error: { code: -32000, message: "Bad Request: No valid session ID provided" },
          id: null,
        }),
      );
      return;
    }
    await transport.handleRequest(req, res, parsed);
  };
  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    stop: async () => {
      for (const transport of transports.values()) await transport.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
