/** ctx.readResource reads the server's own resources, in both eras, with the era's not-found error. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mcp } from "../../examples/read-resource.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";

test("read-resource: a tool reads a templated resource (v1 client, legacy)", async () => {
  const { client, wire, close } = await v1InMemory(mcp);
  try {
    const result = await client.callTool({ name: "summarize", arguments: { name: "guide" } });
    assert.deepEqual(result.content, [{ type: "text", text: "guide: 21 characters" }]);
    // The era's protocol error passes through the tool, like any McpError a handler throws.
    await assert.rejects(client.callTool({ name: "summarize", arguments: { name: "nope" } }), {
      code: -32002,
    });
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

test("read-resource: the same in 2026-07-28 (v2 client)", async () => {
  const { client, wire, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
  try {
    const result = await client.callTool({ name: "summarize", arguments: { name: "intro" } });
    assert.deepEqual(result.content, [{ type: "text", text: "intro: 6 characters" }]);
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});
