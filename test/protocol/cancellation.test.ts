/** notifications/cancelled aborts ctx.signal; a cancelled legacy request gets no response. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
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
