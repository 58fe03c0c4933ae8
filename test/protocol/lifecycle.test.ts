/** Legacy handshake negotiation, ping, cache hints, and error masking. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { MODERN_META, rawChannel } from "../helpers/raw.ts";

function initialize(version: string) {
  return {
    jsonrpc: "2.0",
    id: version,
    method: "initialize",
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "n", version: "1" } },
  };
}

test("initialize answers with the client's version when supported, else the latest", async () => {
  const mcp = new FastMCP("negotiation", {
    title: "Negotiation",
    websiteUrl: "https://example.com",
  });
  const channel = await rawChannel(mcp);
  try {
    for (const [asked, answered] of [
      ["2024-11-05", "2024-11-05"],
      ["2025-03-26", "2025-03-26"],
      ["2025-06-18", "2025-06-18"],
      ["2025-11-25", "2025-11-25"],
      ["2099-01-01", "2025-11-25"],
    ] as const) {
      const reply = await channel.request(initialize(asked));
      const result = reply.result as {
        protocolVersion: string;
        serverInfo: Record<string, unknown>;
      };
      assert.equal(result.protocolVersion, answered);
      assert.equal(
        "title" in result.serverInfo,
        answered >= "2025-06-18",
        "title only from 2025-06-18",
      );
      assert.equal("websiteUrl" in result.serverInfo, answered >= "2025-11-25");
    }
    const pong = await channel.request({ jsonrpc: "2.0", id: "p", method: "ping" });
    assert.deepEqual(pong, { jsonrpc: "2.0", id: "p", result: {} });
    const bad = await channel.request({
      jsonrpc: "2.0",
      id: "b",
      method: "initialize",
      params: {},
    });
    assert.equal((bad.error as { code: number }).code, -32602);
  } finally {
    await channel.close();
  }
});

test("cache hints on modern list and discover results are configurable", async () => {
  const mcp = new FastMCP("cached", { cache: { ttlMs: 60_000, scope: "public" } });
  mcp.tool("t", () => 1);
  const channel = await rawChannel(mcp);
  try {
    for (const method of ["server/discover", "tools/list"]) {
      const reply = await channel.request({
        jsonrpc: "2.0",
        id: method,
        method,
        params: { _meta: MODERN_META },
      });
      const result = reply.result as Record<string, unknown>;
      assert.equal(result.ttlMs, 60_000);
      assert.equal(result.cacheScope, "public");
    }
    const call = await channel.request({
      jsonrpc: "2.0",
      id: "call",
      method: "tools/call",
      params: { _meta: MODERN_META, name: "t" },
    });
    assert.ok(!("ttlMs" in (call.result as object)), "tool results are not cacheable");
  } finally {
    await channel.close();
  }
  assert.throws(() => new FastMCP("bad", { cache: { ttlMs: -1 } }), /ttlMs/);
  assert.throws(() => new FastMCP("bad", { pageSize: 0 }), /pageSize/);
});

test("maskErrorDetails hides unexpected errors but never a ToolError", async () => {
  const { ToolError } = await import("../../src/index.ts");
  const logged: unknown[] = [];
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error: (...args: unknown[]) => logged.push(args),
  };
  const mcp = new FastMCP("masked", { maskErrorDetails: true, logger });
  mcp.tool("secret", () => {
    throw new Error("password=hunter2");
  });
  mcp.tool("told", () => {
    throw new ToolError("you may see this");
  });
  const client = await createTestClient(mcp);
  try {
    const secret = await client.callTool("secret");
    assert.deepEqual(secret.content, [{ type: "text", text: "Error executing tool secret" }]);
    assert.equal(logged.length, 1, "the real error is logged");
    const told = await client.callTool("told");
    assert.deepEqual(told.content, [{ type: "text", text: "you may see this" }]);
  } finally {
    await client.close();
  }
});
