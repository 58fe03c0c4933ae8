/** Talks raw newline-delimited JSON to a server through the real stdio transport, in-process. */
import { PassThrough } from "node:stream";
import { type FastMCP, StdioServerTransport } from "../../src/index.ts";

export interface RawChannel {
  /** Writes one line (a message, or deliberately broken text). */
  write(line: string): void;
  send(message: object): void;
  /** The next message the server writes. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a request and waits for the response with that id (notifications before it are kept). */
  request(
    message: { id: string | number } & Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  readonly received: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function rawChannel<L>(server: FastMCP<L>): Promise<RawChannel> {
  const input = new PassThrough();
  const output = new PassThrough();
  const received: Record<string, unknown>[] = [];
  const waiters: ((message: Record<string, unknown>) => void)[] = [];
  const queue: Record<string, unknown>[] = [];
  let buffer = "";
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
      buffer = buffer.slice(newline + 1);
      received.push(message);
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
      newline = buffer.indexOf("\n");
    }
  });
  await server.connect(new StdioServerTransport(input, output));
  const next = (timeoutMs = 5000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = queue.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(() => reject(new Error("No message from the server")), timeoutMs);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return {
    write: (line) => input.write(`${line}\n`),
    send: (message) => input.write(`${JSON.stringify(message)}\n`),
    next,
    async request(message) {
      input.write(`${JSON.stringify(message)}\n`);
      for (;;) {
        const reply = await next();
        if (reply.id === message.id && !("method" in reply)) return reply;
      }
    },
    received,
    close: async () => {
      input.end();
      await server.close();
    },
  };
}

export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: "init",
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};
