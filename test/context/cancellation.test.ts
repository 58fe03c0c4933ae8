/** Cancelling a call that waits on the client: by the client, by disconnecting, by shutdown; both eras. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(condition(), what);
}

function server(seen: string[]) {
  const mcp = new FastMCP("Cancel", { logLevel: "silent" });
  mcp.tool("ask", async (_args, ctx) => {
    try {
      await ctx.elicit("Name?", { name: z.string() });
      return "answered";
    } catch (error) {
      seen.push(error instanceof Error ? error.message : String(error));
      throw error;
    }
  });
  mcp.tool("wait", async (_args, ctx) => {
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    seen.push((ctx.signal.reason as Error).message);
    return "stopped";
  });
  return mcp;
}

/** A v1 client whose elicitation handler waits until the server withdraws the request. */
async function waitingClient(mcp: FastMCP) {
  let elicited = () => {};
  const asked = new Promise<void>((resolve) => {
    elicited = resolve;
  });
  const withdrawn: string[] = [];
  const connection = await v1InMemory(mcp, {
    capabilities: { elicitation: {} },
    handlers: (client) =>
      client.setRequestHandler(
        ElicitRequestSchema,
        (_request, extra) =>
          new Promise((resolve) => {
            elicited();
            extra.signal.addEventListener("abort", () => {
              withdrawn.push(String(extra.signal.reason));
              resolve({ action: "cancel" });
            });
          }),
      ),
  });
  return { connection, asked, withdrawn };
}

test("legacy: the client cancels mid-elicitation; the server withdraws its request and does not answer", async () => {
  const seen: string[] = [];
  const { connection, asked, withdrawn } = await waitingClient(server(seen));
  try {
    const stop = new AbortController();
    const call = connection.client.callTool({ name: "ask", arguments: {} }, undefined, {
      signal: stop.signal,
    });
    await asked;
    stop.abort("user pressed stop");
    await assert.rejects(call);
    await until(() => withdrawn.length > 0, "the client's elicitation handler was aborted");
    assert.deepEqual(seen, ["user pressed stop"]);
    const cancelled = connection.wire.received.find(
      (message) => message.method === "notifications/cancelled",
    );
    const elicitation = connection.wire.received.find(
      (message) => message.method === "elicitation/create",
    );
    assert.deepEqual(cancelled?.params, {
      requestId: elicitation?.id,
      reason: "user pressed stop",
    });
    const callId = connection.wire.sent.find((message) => message.method === "tools/call")?.id;
    assert.ok(
      !connection.wire.received.some((message) => message.id === callId && !message.method),
    );
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
});

test("legacy: a client that disconnects mid-elicitation ends the handler's wait", async () => {
  const seen: string[] = [];
  const { connection, asked } = await waitingClient(server(seen));
  void connection.client.callTool({ name: "ask", arguments: {} }).catch(() => undefined);
  await asked;
  await connection.close();
  await until(() => seen.length > 0, "the handler saw the disconnect");
  assert.deepEqual(seen, ["The client disconnected"]);
});

test("legacy: shutting the server down ends the handler's wait", async () => {
  const seen: string[] = [];
  const mcp = server(seen);
  const { connection, asked } = await waitingClient(mcp);
  void connection.client.callTool({ name: "ask", arguments: {} }).catch(() => undefined);
  await asked;
  await mcp.close();
  await until(() => seen.length > 0, "the handler saw the shutdown");
  assert.deepEqual(seen, ["Server is shutting down"]);
  await connection.close();
});

test("2026-07-28: the v2 client cancels a running call", async () => {
  const seen: string[] = [];
  const connection = await v2InMemory(server(seen), { pin: "2026-07-28" });
  try {
    const stop = new AbortController();
    const call = connection.client.callTool(
      { name: "wait", arguments: {} },
      { signal: stop.signal },
    );
    await until(
      () => connection.wire.sent.some((message) => message.method === "tools/call"),
      "the call was sent",
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort(new Error("changed my mind"));
    await assert.rejects(call);
    await until(() => seen.length > 0, "the handler saw the cancellation");
    assert.equal(seen.length, 1);
    const callId = connection.wire.sent.find((message) => message.method === "tools/call")?.id;
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(!connection.wire.received.some((message) => message.id === callId));
  } finally {
    await connection.close();
  }
});
