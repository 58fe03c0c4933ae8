/** A tool without `input` takes no arguments: whatever a client sends, its handler sees `{}`. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";

function server(seen: unknown[]): FastMCP {
  const mcp = new FastMCP("no-input");
  mcp.tool("now", (args) => {
    seen.push(args);
    return "12:00";
  });
  return mcp;
}

test("v1 client: arguments sent to a tool without input are not passed on", async () => {
  const seen: unknown[] = [];
  const { client, wire, close } = await v1InMemory(server(seen));
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools[0]?.inputSchema, { type: "object", properties: {} });
    const result = await client.callTool({ name: "now", arguments: { tz: "UTC", x: [1] } });
    assert.deepEqual(result.content, [{ type: "text", text: "12:00" }]);
    await client.callTool({ name: "now" });
    assert.deepEqual(seen, [{}, {}]);
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

for (const mode of ["legacy", { pin: "2026-07-28" }] as const) {
  test(`v2 client (${typeof mode === "string" ? mode : mode.pin}): the handler sees {}`, async () => {
    const seen: unknown[] = [];
    const { client, wire, close } = await v2InMemory(server(seen), mode);
    try {
      await client.callTool({ name: "now", arguments: { tz: "UTC" } });
      assert.deepEqual(seen, [{}]);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });
}
