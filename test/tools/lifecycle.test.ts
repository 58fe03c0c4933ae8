/** Tools change after start: enable, disable, update, remove, each announced with list_changed. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

test("changes after start send one coalesced tools/list_changed each", async () => {
  const mcp = new FastMCP("lifecycle");
  const add = mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  const client = await createTestClient(mcp);
  const changes = () =>
    client.notifications.filter((n) => n.method === "notifications/tools/list_changed").length;
  try {
    add.disable();
    await tick();
    assert.equal(changes(), 1);
    assert.deepEqual(await client.listTools(), []);
    await assert.rejects(client.callTool("add", { a: 1, b: 2 }), /Unknown tool: add/);

    add.enable();
    mcp.tool("sub", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a - b);
    await tick();
    assert.equal(changes(), 2, "two changes in one tick are one notification");
    assert.deepEqual(
      (await client.listTools()).map((tool) => tool.name),
      ["add", "sub"],
    );

    add.update({
      description: "Adds.",
      handler: ({ a, b }: { a: number; b: number }) => a + b + 1,
    });
    await tick();
    assert.equal(changes(), 3);
    const listed = await client.listTools();
    assert.equal(listed[0]?.name, "add", "an updated tool keeps its place");
    assert.equal(listed[0]?.description, "Adds.");
    assert.deepEqual((await client.callTool("add", { a: 1, b: 1 })).content, [
      { type: "text", text: "3" },
    ]);

    add.remove();
    await tick();
    assert.equal(changes(), 4);
    assert.equal(add.enabled, false);
    assert.throws(() => add.enable(), /removed/);
    assert.deepEqual(
      (await client.listTools()).map((tool) => tool.name),
      ["sub"],
    );
  } finally {
    await client.close();
  }
});

test("registering the same name twice is an error", () => {
  const mcp = new FastMCP("dupes");
  mcp.tool("a", () => 1);
  assert.throws(() => mcp.tool("a", () => 2), /already registered/);
});

test("pagination: opaque cursors, every tool exactly once, bad cursors refused", async () => {
  const mcp = new FastMCP("pages", { pageSize: 3 });
  for (let i = 0; i < 8; i++) mcp.tool(`t${i}`, () => i);
  for (const era of ["legacy", "modern"] as const) {
    const client = await createTestClient(mcp, { era });
    try {
      const first = await client.request("tools/list");
      assert.equal((first.tools as unknown[]).length, 3);
      assert.equal(typeof first.nextCursor, "string");
      assert.deepEqual(
        (await client.listTools()).map((tool) => tool.name),
        ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"],
      );
      await assert.rejects(client.request("tools/list", { cursor: "bogus" }), /Invalid cursor/);
    } finally {
      await client.close();
    }
  }
});

test("list results are deterministic and computed once per version", async () => {
  const mcp = new FastMCP("stable");
  mcp.tool("x", { title: "X", input: { a: z.string() } }, () => "x");
  const client = await createTestClient(mcp, { protocolVersion: "2025-03-26" });
  try {
    const [first, second] = [await client.listTools(), await client.listTools()];
    assert.deepEqual(first, second);
    assert.equal(first[0]?.title, undefined, "title arrived in 2025-06-18");
  } finally {
    await client.close();
  }
});
