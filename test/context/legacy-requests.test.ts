/** Legacy server-to-client requests on the raw wire: routing, errors, timeouts, sessions, processes. */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { z } from "zod";
import {
  ClientRequestError,
  type Envelope,
  FastMCP,
  MemoryBus,
  MemorySessionStore,
} from "../../src/index.ts";
import { INITIALIZE, type RawChannel, rawChannel } from "../helpers/raw.ts";

const CAPABLE = {
  ...INITIALIZE,
  params: { ...INITIALIZE.params, capabilities: { elicitation: {}, roots: {} } },
};

function server(options: { bus?: MemoryBus; sessionStore?: MemorySessionStore } = {}) {
  const mcp = new FastMCP("Legacy", { logLevel: "silent", ...options });
  mcp.tool("ask", { input: { timeoutMs: z.number().optional() } }, async ({ timeoutMs }, ctx) => {
    try {
      const answer = await ctx.elicit("Name?", { name: z.string() }, { timeoutMs });
      return answer.action === "accept" ? `hello ${answer.content.name}` : answer.action;
    } catch (error) {
      if (error instanceof ClientRequestError) return `${error.code} ${error.message}`;
      throw error;
    }
  });
  return mcp;
}

let channels: RawChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((channel) => channel.close()));
  channels = [];
});

async function session(mcp: FastMCP): Promise<RawChannel> {
  const channel = await rawChannel(mcp);
  channels.push(channel);
  await channel.request(CAPABLE);
  channel.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  return channel;
}

/** Sends tools/call "ask" and returns the elicitation request the server sends for it. */
async function ask(channel: RawChannel, id: string, args: Record<string, unknown> = {}) {
  channel.send({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "ask", arguments: args },
  });
  const request = await channel.next();
  assert.equal(request.method, "elicitation/create");
  assert.match(String(request.id), /^fastmcp-[0-9a-f]+-[0-9a-z]+$/);
  return request;
}

async function response(channel: RawChannel, id: string) {
  for (;;) {
    const message = await channel.next();
    if (message.id === id && !("method" in message)) return message;
  }
}

const resultText = (message: Record<string, unknown>) =>
  (message.result as { content: { text: string }[] }).content[0]?.text;

test("the client's response reaches the waiting handler", async () => {
  const channel = await session(server());
  const request = await ask(channel, "a");
  channel.send({
    jsonrpc: "2.0",
    id: request.id,
    result: { action: "accept", content: { name: "Ada" } },
  });
  assert.equal(resultText(await response(channel, "a")), "hello Ada");
});

test("an error response becomes a ClientRequestError the handler can catch", async () => {
  const channel = await session(server());
  const request = await ask(channel, "b");
  channel.send({
    jsonrpc: "2.0",
    id: request.id,
    error: { code: -32601, message: "Method not found" },
  });
  assert.equal(
    resultText(await response(channel, "b")),
    "-32601 The client answered elicitation/create with error -32601: Method not found",
  );
});

test("no answer in time: ClientRequestError -32001, and the client is told to stop", async () => {
  const channel = await session(server());
  const request = await ask(channel, "c", { timeoutMs: 30 });
  const cancelled = await channel.next();
  assert.deepEqual(cancelled, {
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: request.id, reason: "No answer within 30 ms" },
  });
  assert.equal(
    resultText(await response(channel, "c")),
    "-32001 The client did not answer elicitation/create within 30 ms",
  );
  // A late answer is ignored.
  channel.send({ jsonrpc: "2.0", id: request.id, result: { action: "decline" } });
  const ping = await channel.request({ jsonrpc: "2.0", id: "p", method: "ping" });
  assert.deepEqual(ping.result, {});
});

test("only the session that was asked can answer", async () => {
  const mcp = server();
  const asked = await session(mcp);
  const other = await session(mcp);
  const request = await ask(asked, "d");
  other.send({
    jsonrpc: "2.0",
    id: request.id,
    result: { action: "accept", content: { name: "Eve" } },
  });
  asked.send({
    jsonrpc: "2.0",
    id: request.id,
    result: { action: "accept", content: { name: "Bob" } },
  });
  assert.equal(resultText(await response(asked, "d")), "hello Bob");
});

test("a response that reaches another process is forwarded on the bus to the one that asked", async () => {
  const bus = new MemoryBus();
  const sessionStore = new MemorySessionStore();
  const asking = server({ bus, sessionStore });
  const answering = server({ bus, sessionStore });
  const sent: Record<string, unknown>[] = [];
  let sessionId: string | undefined;
  const envelope = (channelId: string): Envelope => ({
    outbound: { send: (message) => void sent.push(message as Record<string, unknown>) },
    channelId,
    sessionId,
    bindSession: (id) => {
      sessionId = id;
    },
  });
  await asking.handleMessage(CAPABLE, envelope("post-1"));
  assert.ok(sessionId);
  // Twelve asks: request ids count up past 9, so every shape of id is forwarded.
  for (let n = 0; n < 12; n++) {
    const call = asking.handleMessage(
      // A short timeout: were the answer lost, the result would say so instead of hanging.
      {
        jsonrpc: "2.0",
        id: 7 + n,
        method: "tools/call",
        params: { name: "ask", arguments: { timeoutMs: 5000 } },
      },
      envelope(`post-call-${n}`),
    );
    while (sent.length === n) await new Promise((resolve) => setTimeout(resolve, 1));
    const request = sent[n] as { id: string; method: string };
    assert.equal(request.method, "elicitation/create");
    // Over HTTP the answer is a separate POST, which a load balancer may send to another process.
    const reply = await answering.handleMessage(
      {
        jsonrpc: "2.0",
        id: request.id,
        result: { action: "accept", content: { name: `Kim ${n}` } },
      },
      envelope(`post-answer-${n}`),
    );
    assert.equal(reply, undefined);
    const answered = await call;
    assert.equal(resultText(answered as unknown as Record<string, unknown>), `hello Kim ${n}`);
  }
  await Promise.all([asking.close(), answering.close()]);
});
