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
