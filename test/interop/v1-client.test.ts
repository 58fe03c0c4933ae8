/** The official v1 SDK client (legacy era, 2025-11-25) drives the server in-memory and over stdio. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { buildToolsServer, waitForCancelAborted } from "../fixtures/tools-server.ts";
import { type Connected, v1InMemory, v1Stdio } from "../helpers/clients.ts";

/** Tools, resources and prompts are always declared; completions only with a completer. */
const ALL_CAPABILITIES = {
  logging: {},
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
};

const connectors: Record<string, () => Promise<Connected<Client>>> = {
  "in-memory": () => v1InMemory(buildToolsServer()),
  stdio: () => v1Stdio("test/fixtures/tools-server.ts"),
};

for (const [transport, connect] of Object.entries(connectors)) {
  describe(`v1 client over ${transport}`, () => {
    let connection: Connected<Client>;
    let client: Client;
    before(async () => {
      connection = await connect();
      client = connection.client;
    });
    after(async () => {
      await connection.close();
    });

    test("handshake negotiates 2025-11-25 and advertises what is registered", () => {
      assert.deepEqual(client.getServerVersion(), { name: "ToolsFixture", version: "2.0.0" });
      assert.deepEqual(client.getServerCapabilities(), ALL_CAPABILITIES);
      assert.equal(client.getInstructions(), "Fixture for interop tests.");
    });

    test("tools/list gives the seed's generated schema for add", async () => {
      const { tools } = await client.listTools();
      const add = tools.find((tool) => tool.name === "add");
      assert.deepEqual(add, {
        name: "add",
        description: "Add two numbers.",
        inputSchema: {
          type: "object",
          properties: { a: { type: "integer" }, b: { type: "integer" } },
          required: ["a", "b"],
        },
      });
      assert.deepEqual(
        tools.map((tool) => tool.name),
        [
          "add",
          "weather",
          "square",
          "fails",
          "refuses",
          "pixel",
          "raw",
          "progress",
          "wait_for_cancel",
          "echo",
        ],
      );
    });

    test("calls a tool", async () => {
      const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
      assert.deepEqual(result, { content: [{ type: "text", text: "5" }] });
    });

    test("invalid arguments become an isError result naming each field", async () => {
      const result = await client.callTool({ name: "add", arguments: { a: "two", b: 1.5 } });
      assert.equal(result.isError, true);
      const text = (result.content as { text: string }[])[0]?.text ?? "";
      assert.match(text, /^Invalid arguments for tool "add": /);
      assert.match(text, /a: .*expected number/);
      assert.match(text, /b: .*int/);
    });

    test("missing arguments are named too", async () => {
      const result = await client.callTool({ name: "add", arguments: { a: 1 } });
      assert.equal(result.isError, true);
      assert.equal(
        (result.content as { text: string }[])[0]?.text,
        'Invalid arguments for tool "add": missing required argument "b"',
      );
    });

    test("an unknown tool is JSON-RPC -32602", async () => {
      await assert.rejects(client.callTool({ name: "nope", arguments: {} }), (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32602);
        assert.match(error.message, /Unknown tool: nope/);
        return true;
      });
    });

    test("exceptions become isError results with their message", async () => {
      const failed = await client.callTool({ name: "fails", arguments: {} });
      assert.deepEqual(failed, {
        content: [{ type: "text", text: "Error executing tool fails: disk on fire" }],
        isError: true,
      });
      const refused = await client.callTool({ name: "refuses", arguments: {} });
      assert.deepEqual(refused, {
        content: [{ type: "text", text: "not allowed today" }],
        isError: true,
      });
    });

    test("structured output is validated by the client against outputSchema", async () => {
      await client.listTools(); // the v1 client validates against the last listed schemas
      const result = await client.callTool({ name: "weather", arguments: { city: "Paris" } });
      assert.deepEqual(result.structuredContent, { temperature: 5, conditions: "sunny" });
      assert.deepEqual(result.content, [
        { type: "text", text: '{"temperature":5,"conditions":"sunny"}' },
      ]);
      const square = await client.callTool({ name: "square", arguments: { x: 3 } });
      assert.deepEqual(square.structuredContent, { result: 9 });
    });

    test("non-object outputs are wrapped as { result } in the schema", async () => {
      const { tools } = await client.listTools();
      const square = tools.find((tool) => tool.name === "square");
      assert.deepEqual(square?.outputSchema, {
        type: "object",
        properties: { result: { type: "number" } },
        required: ["result"],
        "x-fastmcp-wrap-result": true,
      });
    });

    test("images and raw results pass through", async () => {
      const pixel = await client.callTool({ name: "pixel", arguments: {} });
      assert.deepEqual(pixel.content, [{ type: "image", data: "iVBORw==", mimeType: "image/png" }]);
      const raw = await client.callTool({ name: "raw", arguments: {} });
      assert.deepEqual(raw, {
        content: [{ type: "text", text: "raw" }],
        structuredContent: { ok: true },
      });
    });

    test("logs and progress arrive before the result", async () => {
      const events: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        events.push(`log:${notification.params.level}:${String(notification.params.data)}`);
      });
      const result = await client.callTool(
        { name: "progress", arguments: { steps: 5 } },
        undefined,
        {
          onprogress: (progress) =>
            events.push(`progress:${progress.progress}/${progress.total}:${progress.message}`),
        },
      );
      events.push("result");
      assert.deepEqual(events, [
        "log:info:starting",
        "log:debug:details",
        "progress:1/5:step 1",
        "progress:2/5:step 2",
        "progress:3/5:step 3",
        "progress:4/5:step 4",
        "progress:5/5:step 5",
        "result",
      ]);
      assert.deepEqual(result.content, [{ type: "text", text: "done 5" }]);
    });

    test("logging/setLevel filters log messages", async () => {
      const levels: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        levels.push(notification.params.level);
      });
      await client.setLoggingLevel("info");
      await client.callTool({ name: "progress", arguments: { steps: 1 } });
      await client.setLoggingLevel("debug");
      await client.callTool({ name: "progress", arguments: { steps: 1 } });
      assert.deepEqual(levels, ["info", "info", "debug"]);
    });

    test("cancellation aborts the handler's signal", async () => {
      const before = waitForCancelAborted.count;
      const controller = new AbortController();
      const call = client.callTool({ name: "wait_for_cancel", arguments: {} }, undefined, {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort("changed my mind"), 50);
      await assert.rejects(call);
      // The server keeps serving after a cancellation.
      const result = await client.callTool({ name: "add", arguments: { a: 1, b: 1 } });
      assert.deepEqual(result.content, [{ type: "text", text: "2" }]);
      if (transport === "in-memory") assert.equal(waitForCancelAborted.count, before + 1);
    });

    test("every message on the wire is valid 2025-11-25", () => {
      assert.deepEqual(connection.wire.problems(), []);
      assert.ok(connection.wire.received.length > 10);
    });
  });
}
