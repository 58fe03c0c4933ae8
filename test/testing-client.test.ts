/** fastmcp-ts/testing: the in-process client users write their tests with. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { FastMCP, McpError } from "../src/index.ts";
import { createTestClient } from "../src/testing/index.ts";

function server() {
  const mcp = new FastMCP("TestingClient");
  mcp.tool("test_tool", { input: { value: z.string() } }, ({ value }) => `processed: ${value}`);
  mcp.tool("steps", async (_args, ctx) => {
    await ctx.info("working");
    await ctx.reportProgress(1, 2);
    await ctx.reportProgress(2, 2);
    return "ok";
  });
  return mcp;
}

for (const era of ["legacy", "modern"] as const) {
  describe(`test client, ${era} era`, () => {
    test("lists and calls tools", async () => {
      const client = await createTestClient(server(), { era, logLevel: "debug" });
      try {
        assert.equal(client.serverInfo?.name, "TestingClient");
        assert.deepEqual(
          (await client.listTools()).map((tool) => tool.name),
          ["test_tool", "steps"],
        );
        const result = await client.callTool("test_tool", { value: "test" });
        assert.deepEqual(result.content, [{ type: "text", text: "processed: test" }]);
        const progress: number[] = [];
        await client.callTool("steps", {}, { onProgress: (p) => progress.push(p.progress) });
        assert.deepEqual(progress, [1, 2]);
        assert.ok(client.notifications.some((n) => n.method === "notifications/message"));
        await assert.rejects(client.callTool("nope"), McpError);
      } finally {
        await client.close();
      }
    });
  });
}

test("mcp.callTool calls a tool directly, as the seed's unit test does", async () => {
  const mcp = server();
  const result = await mcp.callTool("test_tool", { value: "test" });
  assert.deepEqual(result, { content: [{ type: "text", text: "processed: test" }] });
  const invalid = await mcp.callTool("test_tool", { value: 3 });
  assert.equal(invalid.isError, true);
});

for (const era of ["legacy", "modern"] as const) {
  test(`the test client answers elicitation, sampling and roots (${era} era)`, async () => {
    const mcp = new FastMCP("Asking", { logLevel: "silent" });
    mcp.tool("plan", async (_args, ctx) => {
      const who = await ctx.elicit("Who?", { name: z.string() });
      const roots = await ctx.listRoots();
      const idea = await ctx.sample("An idea?");
      return `${who.action === "accept" ? who.content.name : who.action}, ${roots.length} roots, ${idea.text}`;
    });
    const asked: string[] = [];
    const client = await createTestClient(mcp, {
      era,
      onElicit: (params) => {
        asked.push(String(params.message));
        return { action: "accept", content: { name: "Ada" } };
      },
      onListRoots: () => ({ roots: [{ uri: "file:///tmp" }] }),
      onSample: () => ({ role: "assistant", content: { type: "text", text: "tea" }, model: "m" }),
    });
    try {
      const result = await client.callTool("plan");
      assert.deepEqual(result.content, [{ type: "text", text: "Ada, 1 roots, tea" }]);
      assert.deepEqual(asked, ["Who?"], "each question is asked once");
    } finally {
      await client.close();
    }
  });
}

test("without an answer, the server's ask fails the way a client without the capability makes it fail", async () => {
  const mcp = new FastMCP("Asking", { logLevel: "silent" });
  mcp.tool("ask", async (_args, ctx) => (await ctx.elicit("Name?", { name: z.string() })).action);
  const client = await createTestClient(mcp);
  try {
    await assert.rejects(client.callTool("ask"), (error: McpError) => error.code === -32021);
  } finally {
    await client.close();
  }
});
