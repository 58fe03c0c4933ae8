/**
 * The conformance server's tools behave as the official suite expects, seen
 * through the official clients. (`npm run conformance` runs the suite itself
 * over HTTP; these catch a broken fixture before that, with a clearer message.)
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  PromptListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { mcp } from "../examples/conformance-server.ts";
import { ERAS as ASK_ERAS, connectAnswering, text } from "./helpers/asks.ts";
import { v1InMemory, v2InMemory } from "./helpers/clients.ts";
import { connectEra, ERAS, rpcError } from "./helpers/eras.ts";

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
        "test_trigger_prompt_change",
        "test_sampling",
        "test_elicitation",
        "test_elicitation_sep1034_defaults",
        "test_elicitation_sep1330_enums",
        "test_missing_capability",
        "test_input_required_result_elicitation",
        "test_input_required_result_sampling",
        "test_input_required_result_list_roots",
        "test_input_required_result_request_state",
        "test_input_required_result_multiple_inputs",
        "test_input_required_result_multi_round",
        "test_input_required_result_tampered_state",
        "test_input_required_result_capabilities",
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

  for (const era of ERAS) {
    test(`${era}: the suite's resources, prompts and completions`, async () => {
      const { client, wire, close } = await connectEra(mcp, era);
      try {
        const { resources } = await client.listResources();
        assert.deepEqual(
          resources.map((resource) => resource.uri),
          ["test://static-text", "test://static-binary", "test://watched-resource"],
        );
        const { resourceTemplates } = await client.listResourceTemplates();
        assert.deepEqual(
          resourceTemplates.map((template) => template.uriTemplate),
          ["test://template/{id}/data"],
        );
        const textRead = await client.readResource({ uri: "test://static-text" });
        assert.deepEqual(textRead.contents[0], {
          uri: "test://static-text",
          mimeType: "text/plain",
          text: "This is the content of the static text resource.",
        });
        const binary = await client.readResource({ uri: "test://static-binary" });
        assert.equal((binary.contents[0] as { mimeType?: string }).mimeType, "image/png");
        assert.ok((binary.contents[0] as { blob?: string }).blob);
        const templated = await client.readResource({ uri: "test://template/123/data" });
        assert.deepEqual(JSON.parse((templated.contents[0] as { text: string }).text), {
          id: "123",
          templateTest: true,
          data: "Data for ID: 123",
        });
        const missing = await rpcError(
          client.readResource({ uri: "test://nonexistent-resource-for-conformance-testing" }),
        );
        assert.equal(missing.code, era === "legacy" ? -32002 : -32602);

        const { prompts } = await client.listPrompts();
        for (const prompt of prompts) assert.ok(prompt.description, `${prompt.name} is described`);
        const withArgs = await client.getPrompt({
          name: "test_prompt_with_arguments",
          arguments: { arg1: "testValue1", arg2: "testValue2" },
        });
        assert.deepEqual(withArgs.messages[0]?.content, {
          type: "text",
          text: "Prompt with arguments: arg1='testValue1', arg2='testValue2'",
        });
        const embedded = await client.getPrompt({
          name: "test_prompt_with_embedded_resource",
          arguments: { resourceUri: "test://example-resource" },
        });
        assert.deepEqual(
          embedded.messages.map((message) => message.content.type),
          ["resource", "text"],
        );
        const image = await client.getPrompt({ name: "test_prompt_with_image" });
        assert.equal(image.messages[0]?.content.type, "image");

        const { completion } = await client.complete({
          ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
          argument: { name: "arg1", value: "test" },
        });
        assert.deepEqual(completion.values, ["testValue1", "testValue2", "test-default"]);
        assert.deepEqual(wire.problems(), []);
      } finally {
        await close();
      }
    });
  }

  test("legacy: the elicitation forms are sent as the suite checks them", async () => {
    const connection = await connectAnswering("legacy (v1 client)", mcp, {
      elicit: () => ({ action: "decline" }),
    });
    try {
      await connection.call("test_elicitation_sep1034_defaults");
      await connection.call("test_elicitation_sep1330_enums");
      const [defaults, enums] = connection.asked.map(
        (ask) => (ask.params.requestedSchema as { properties: Record<string, unknown> }).properties,
      );
      assert.deepEqual(defaults, {
        name: { type: "string", description: "User name", default: "John Doe" },
        age: { type: "integer", description: "User age", default: 30 },
        score: { type: "number", description: "User score", default: 95.5 },
        status: {
          type: "string",
          description: "User status",
          enum: ["active", "inactive", "pending"],
          default: "active",
        },
        verified: { type: "boolean", description: "Verification status", default: true },
      });
      assert.deepEqual(enums?.legacyEnum, {
        type: "string",
        description: "Choose a legacy option",
        enum: ["opt1", "opt2", "opt3"],
        enumNames: ["Option One", "Option Two", "Option Three"],
      });
      assert.deepEqual(enums?.titledSingle, {
        type: "string",
        description: "Choose a titled option",
        oneOf: [
          { const: "value1", title: "First Option" },
          { const: "value2", title: "Second Option" },
          { const: "value3", title: "Third Option" },
        ],
      });
      assert.deepEqual(enums?.untitledMulti, {
        type: "array",
        description: "Choose multiple options",
        minItems: 1,
        maxItems: 3,
        items: { type: "string", enum: ["option1", "option2", "option3"] },
      });
      assert.deepEqual(connection.wire.problems(), []);
    } finally {
      await connection.close();
    }
  });

  for (const era of ASK_ERAS) {
    test(`${era}: sampling, elicitation and roots tools ask the client`, async () => {
      const connection = await connectAnswering(era, mcp, {
        sample: () => ({
          role: "assistant",
          content: { type: "text", text: "Paris" },
          model: "test-model",
          stopReason: "endTurn",
        }),
        elicit: (params) =>
          String(params.message).includes("color")
            ? { action: "accept", content: { color: "blue" } }
            : String(params.message).includes("confirm")
              ? { action: "accept", content: { ok: true } }
              : { action: "accept", content: { name: "Alice", username: "u", email: "e" } },
        roots: () => ({ roots: [{ uri: "file:///test/root", name: "Test Root" }] }),
      });
      try {
        assert.equal(
          text(await connection.call("test_sampling", { prompt: "Capital?" })),
          "LLM response: Paris",
        );
        assert.equal(
          text(await connection.call("test_elicitation", { message: "Who?" })),
          'User response: action=accept, content={"username":"u","email":"e"}',
        );
        assert.equal(
          text(await connection.call("test_input_required_result_multi_round")),
          "Multi-round complete for Alice who likes blue",
        );
        assert.equal(
          text(await connection.call("test_input_required_result_multiple_inputs")),
          "Name: Alice; Greeting: Paris; Roots: 1",
        );
        assert.equal(
          text(await connection.call("test_input_required_result_request_state")),
          "state-ok: requestState validated",
        );
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });
  }

  test("2026-07-28: the explicit user_name round, and -32021 without the sampling capability", async () => {
    const connection = await connectAnswering("2026-07-28 (v2 client)", mcp, {
      elicit: () => ({ action: "accept", content: { name: "Alice", value: "v" } }),
    });
    try {
      assert.equal(
        text(await connection.call("test_input_required_result_elicitation")),
        "Hello, Alice!",
      );
      const retry = connection.wire.sent.filter((m) => m.method === "tools/call").at(-1);
      const answered = (retry?.params as { inputResponses?: object } | undefined)?.inputResponses;
      assert.deepEqual(Object.keys(answered ?? {}), ["user_name"]);
      assert.equal(
        text(await connection.call("test_input_required_result_capabilities")),
        "capabilities-ok: received elicitation",
      );
      await assert.rejects(
        connection.call("test_missing_capability"),
        (error: { code?: number; data?: unknown }) => {
          assert.equal(error.code, -32021);
          assert.deepEqual(error.data, { requiredCapabilities: { sampling: {} } });
          return true;
        },
      );
      assert.deepEqual(connection.wire.problems(), []);
    } finally {
      await connection.close();
    }
  });

  test("test_trigger_prompt_change adds, then removes, a prompt and announces each change", async () => {
    const { client, wire, close } = await v1InMemory(mcp);
    let changes = 0;
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      changes++;
    });
    const listed = async () => (await client.listPrompts()).prompts.map((prompt) => prompt.name);
    try {
      assert.ok(!(await listed()).includes("test_dynamic_prompt"));
      await client.callTool({ name: "test_trigger_prompt_change", arguments: {} });
      assert.ok((await listed()).includes("test_dynamic_prompt"));
      await client.callTool({ name: "test_trigger_prompt_change", arguments: {} });
      assert.ok(!(await listed()).includes("test_dynamic_prompt"));
      assert.equal(changes, 2);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });
});
