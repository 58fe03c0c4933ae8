/** notifications/cancelled aborts ctx.signal; a cancelled legacy request gets no response. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { v2InMemory } from "../helpers/clients.ts";
import { INITIALIZE, MODERN_META, rawChannel } from "../helpers/raw.ts";

function server(aborted: string[]) {
  const mcp = new FastMCP("cancel");
  mcp.tool("wait", async (_args, ctx) => {
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener(
        "abort",
        () => {
          aborted.push(String((ctx.signal.reason as Error).message));
          resolve();
        },
        { once: true },
      ),
    );
    return "finished anyway";
  });
  mcp.tool("quick", () => "quick");
  // Rejects with the abort reason, as fetch() does when its signal aborts.
  mcp.tool("rejects_on_cancel", async (_args, ctx) => {
    await new Promise((_resolve, reject) =>
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }),
    );
  });
  return mcp;
}

for (const era of ["legacy", "modern"] as const) {
  test(`cancellation in the ${era} era`, async () => {
    const aborted: string[] = [];
    const channel = await rawChannel(server(aborted));
    try {
      const meta = era === "modern" ? { _meta: MODERN_META } : {};
      if (era === "legacy") {
        await channel.request(INITIALIZE);
        channel.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      }
      channel.send({
        jsonrpc: "2.0",
        id: "slow",
        method: "tools/call",
        params: { ...meta, name: "wait" },
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      channel.send({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: "slow", reason: "user pressed stop" },
      });
      const quick = await channel.request({
        jsonrpc: "2.0",
        id: "quick",
        method: "tools/call",
        params: { ...meta, name: "quick" },
      });
      assert.ok(quick.result);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(aborted, ["user pressed stop"]);
      assert.ok(
        !channel.received.some((message) => message.id === "slow"),
        "a cancelled request is not answered",
      );
    } finally {
      await channel.close();
    }
  });
}

test("a handler that rejects with the abort reason is not answered either (modern era)", async () => {
  const channel = await rawChannel(server([]));
  try {
    channel.send({
      jsonrpc: "2.0",
      id: "r",
      method: "tools/call",
      params: { _meta: MODERN_META, name: "rejects_on_cancel" },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    channel.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "r" } });
    await channel.request({
      jsonrpc: "2.0",
      id: "q",
      method: "tools/call",
      params: { _meta: MODERN_META, name: "quick" },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!channel.received.some((message) => message.id === "r"));
  } finally {
    await channel.close();
  }
});

test("number and string ids with the same digits are different requests to cancel", async () => {
  const aborted: string[] = [];
  const channel = await rawChannel(server(aborted));
  try {
    const call = (id: number | string) =>
      channel.send({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { _meta: MODERN_META, name: "wait" },
      });
    const cancel = (requestId: number | string, reason: string) =>
      channel.send({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId, reason },
      });
    // Large counters too (clients count their ids up for as long as they run),
    // and "15", which is 41 written in base 36.
    for (const id of [41, "41", "15", 123_456_789_012, "123456789012"]) call(id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    cancel(41, "number 41");
    cancel("123456789012", "string 123456789012");
    cancel(7, "never sent");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(aborted.sort(), ["number 41", "string 123456789012"]);
    cancel("41", "string 41");
    cancel(123_456_789_012, "number 123456789012");
    cancel("15", "string 15");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(aborted.length, 5);
  } finally {
    await channel.close();
  }
});

test("closing the server aborts running handlers", async () => {
  const aborted: string[] = [];
  const mcp = server(aborted);
  const channel = await rawChannel(mcp);
  channel.send({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { _meta: MODERN_META, name: "wait" },
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await mcp.close();
  assert.deepEqual(aborted, ["Server is shutting down"]);
});

// The v2 client cancels through an AbortSignal. Over message transports (stdio,
// in-memory) it sends notifications/cancelled in both eras; over Streamable
// HTTP in the 2026-07-28 era it aborts the request's HTTP stream instead.
for (const mode of ["legacy", { pin: "2026-07-28" }] as const) {
  const label = typeof mode === "string" ? mode : mode.pin;
  test(`the v2 client (${label}) cancels a running tool call through its AbortSignal`, async () => {
    const aborted: string[] = [];
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const mcp = server(aborted);
    mcp.tool("wait_started", async (_args, ctx) => {
      started();
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      aborted.push(`wait_started: ${String((ctx.signal.reason as Error).message)}`);
      return "finished anyway";
    });
    const { client, wire, close } = await v2InMemory(mcp, mode);
    try {
      const controller = new AbortController();
      const call = client.callTool({ name: "wait_started" }, { signal: controller.signal });
      await running;
      controller.abort("user pressed stop");
      await assert.rejects(call, /user pressed stop/);
      // A later call is answered, so the cancellation has been handled by then.
      const quick = await client.callTool({ name: "quick" });
      assert.deepEqual(quick.content, [{ type: "text", text: "quick" }]);
      assert.deepEqual(aborted, ["wait_started: user pressed stop"]);
      const request = wire.sent.find(
        (message) =>
          message.method === "tools/call" &&
          (message.params as { name: string }).name === "wait_started",
      );
      const cancelled = wire.sent.find((message) => message.method === "notifications/cancelled");
      const { requestId, reason } = (cancelled?.params ?? {}) as Record<string, unknown>;
      assert.deepEqual(
        { requestId, reason },
        { requestId: request?.id, reason: "user pressed stop" },
      );
      assert.ok(
        !wire.received.some((message) => message.id === request?.id && !("method" in message)),
        "a cancelled request is not answered",
      );
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });
}
