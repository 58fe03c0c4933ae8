/** fastmcp-ts/testing covers resources, prompts and completions too. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../src/index.ts";
import { createTestClient } from "../src/testing/index.ts";

test("the test client lists, reads, renders and completes in both eras", async () => {
  const mcp = new FastMCP("Testing", { pageSize: 1 });
  mcp.resource("config://a", () => "a");
  mcp.resource("config://b", () => ({ b: true }));
  mcp.resource("docs://{id}", { complete: { id: (value) => [`${value}1`] } }, ({ id }) => id);
  mcp.prompt("greet", { args: { name: z.string() } }, ({ name }) => `hi ${name}`);
  for (const era of ["legacy", "modern"] as const) {
    const client = await createTestClient(mcp, { era });
    try {
      assert.deepEqual(
        (await client.listResources()).map((resource) => resource.uri),
        ["config://a", "config://b"],
      );
      assert.deepEqual(
        (await client.listResourceTemplates()).map((template) => template.uriTemplate),
        ["docs://{id}"],
      );
      assert.deepEqual((await client.readResource("docs://7")).contents, [
        { uri: "docs://7", mimeType: "text/plain", text: "7" },
      ]);
      assert.equal((await client.listPrompts())[0]?.name, "greet");
      assert.deepEqual((await client.getPrompt("greet", { name: "Jo" })).messages, [
        { role: "user", content: { type: "text", text: "hi Jo" } },
      ]);
      assert.deepEqual(await client.complete({ uriTemplate: "docs://{id}" }, "id", "x"), {
        values: ["x1"],
        total: 1,
        hasMore: false,
      });
    } finally {
      await client.close();
    }
  }
});
