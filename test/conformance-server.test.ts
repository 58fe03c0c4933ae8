/**
 * The conformance server's tools behave as the official suite expects, seen
 * through the official clients. (`npm run conformance` runs the suite itself
 * over HTTP; these catch a broken fixture before that, with a clearer message.)
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { mcp } from "../examples/conformance-server.ts";
import { v1InMemory, v2InMemory } from "./helpers/clients.ts";

type Block = { type: string; text?: string; mimeType?: string; resource?: { uri: string } };
const blocks = (result: object) => (result as { content: Block[] }).content;

const RAW_2020_12_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: {
      $anchor: "addressDef",
      type: "object",
      properties: { street: { type: "string" }, city: { type: "string" } },
    },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
    contactMethod: { type: "string", enum: ["phone", "email"] },
    phone: { type: "string" },
    email: { type: "string" },
  },
  allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
  if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, not a promise
  then: { required: ["phone"] },
  else: { required: ["email"] },
  additionalProperties: false,
};

describe("examples/conformance-server.ts", () => {
  test("lists the suite's tools, each with a description, and the 2020-12 schema verbatim", async () => {
    const { client, wire, close } = await v1InMemory(mcp);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      for (const name of [
        "test_simple_text",
        "test_image_content",
        "test_audio_content",
        "test_embedded_resource",
        "test_multiple_content_types",
        "test_tool_with_logging",
        "test_tool_with_progress",
        "test_error_handling",
        "test_reconnection",
        "json_schema_2020_12_tool",
        "test_streaming_elicitation",
        "test_logging_tool",
        "test_trigger_tool_change",
      ]) {
        assert.ok(names.includes(name), `${name} is listed`);
      }
      for (const tool of tools) assert.ok(tool.description, `${tool.name} has a description`);
      const schemaTool = tools.find((tool) => tool.name === "json_schema_2020_12_tool");
      assert.deepEqual(schemaTool?.inputSchema, RAW_2020_12_SCHEMA);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("content tools answer with the blocks the suite checks", async () => {
    const { client, wire, close } = await v1InMemory(mcp);
    try {
      const simple = await client.callTool({ name: "test_simple_text" });
      assert.equal(blocks(simple)[0]?.text, "This is a simple text response for testing.");
      const mixed = await client.callTool({ name: "test_multiple_content_types", arguments: {} });
      assert.deepEqual(
        blocks(mixed).map((block) => block.type),
        ["text", "image", "resource"],
      );
      const audio = await client.callTool({ name: "test_audio_content", arguments: {} });
      assert.equal(blocks(audio)[0]?.mimeType, "audio/wav");
      const error = await client.callTool({ name: "test_error_handling", arguments: {} });
      assert.equal(error.isError, true);
      assert.equal(blocks(error)[0]?.text, "This tool intentionally returns an error for testing");
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("test_trigger_tool_change adds, then removes, a tool and announces each change", async () => {
    const { client, wire, close } = await v1InMemory(mcp);
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes++;
    });
    const listed = async () => (await client.listTools()).tools.map((tool) => tool.name);
    try {
      assert.ok(!(await listed()).includes("test_dynamic_tool"));
      await client.callTool({ name: "test_trigger_tool_change", arguments: {} });
      assert.ok((await listed()).includes("test_dynamic_tool"));
      await client.callTool({ name: "test_trigger_tool_change", arguments: {} });
      assert.ok(!(await listed()).includes("test_dynamic_tool"));
      assert.equal(changes, 2);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("2026-07-28: test_logging_tool sends no log without a requested level", async () => {
    const { client, wire, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
    try {
      const result = await client.callTool({ name: "test_logging_tool", arguments: {} });
      assert.equal(blocks(result)[0]?.text, "Logging evaluated");
      assert.ok(!wire.received.some((m) => m.method === "notifications/message"));
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });
});
