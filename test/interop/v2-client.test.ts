/** The official v2 client in the 2026-07-28 era (and its legacy mode) drives the server. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/client";
import { buildToolsServer } from "../fixtures/tools-server.ts";
import { type Connected, v2InMemory, v2Stdio } from "../helpers/clients.ts";

/** Tools, resources and prompts are always declared; completions only with a completer. */
const ALL_CAPABILITIES = {
  logging: {},
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
};

const SERVER_INFO = {
  "io.modelcontextprotocol/serverInfo": { name: "ToolsFixture", version: "2.0.0" },
};

const connectors: Record<string, () => Promise<Connected<Client>>> = {
  "in-memory (auto)": () => v2InMemory(buildToolsServer(), "auto"),
  "in-memory (pinned 2026-07-28)": () => v2InMemory(buildToolsServer(), { pin: "2026-07-28" }),
  "stdio (auto)": () => v2Stdio("test/fixtures/tools-server.ts", "auto"),
};

for (const [name, connect] of Object.entries(connectors)) {
  describe(`v2 client, ${name}`, () => {
    let connection: Connected<Client>;
    let client: Client;
    before(async () => {
      connection = await connect();
      client = connection.client;
    });
    after(async () => {
      await connection.close();
    });

    test("discovers the server in the modern era", () => {
      assert.ok(!connection.wire.sent.some((message) => message.method === "initialize"));
      const discover = connection.wire.sent.find((message) => message.method === "server/discover");
      if (name.startsWith("stdio")) {
        // Over stdio the client probes on a sibling process; this one never sees a handshake.
        assert.ok(!discover, "the probe ran on a sibling process");
        assert.deepEqual(client.getServerCapabilities(), ALL_CAPABILITIES);
        return;
      }
      assert.ok(discover, "the client probed with server/discover");
      assert.deepEqual(client.getServerCapabilities(), ALL_CAPABILITIES);
      const response = connection.wire.received.find((message) => message.id === discover.id);
      assert.deepEqual(response?.result, {
        supportedVersions: ["2026-07-28"],
        capabilities: ALL_CAPABILITIES,
        instructions: "Fixture for interop tests.",
        resultType: "complete",
        _meta: SERVER_INFO,
        ttlMs: 0,
        cacheScope: "private",
      });
    });

    test("lists tools with cache hints and serverInfo", async () => {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 10);
      const listed = connection.wire.received.at(-1);
      const result = listed?.result as Record<string, unknown>;
      assert.equal(result.resultType, "complete");
      assert.equal(result.ttlMs, 0);
      assert.equal(result.cacheScope, "private");
      assert.deepEqual(result._meta, SERVER_INFO);
    });

    test("calls tools, with structured output", async () => {
      const added = await client.callTool({ name: "add", arguments: { a: 20, b: 22 } });
      assert.deepEqual(added.content, [{ type: "text", text: "42" }]);
      const weather = await client.callTool({ name: "weather", arguments: { city: "Oslo" } });
      assert.deepEqual(weather.structuredContent, { temperature: 4, conditions: "sunny" });
    });

    test("invalid arguments are an isError result; an unknown tool is -32602", async () => {
      const invalid = await client.callTool({ name: "add", arguments: { a: 1 } });
      assert.equal(invalid.isError, true);
      await assert.rejects(
        client.callTool({ name: "missing", arguments: {} }),
        (error: { code?: unknown }) => {
          assert.equal(error.code, -32602);
          return true;
        },
      );
    });

    test("progress reaches the client before the result", async () => {
      const seen: number[] = [];
      const result = await client.callTool(
        { name: "progress", arguments: { steps: 3 } },
        { onprogress: (progress: { progress: number }) => seen.push(progress.progress) },
      );
      assert.deepEqual(seen, [1, 2, 3]);
      assert.deepEqual(result.content, [{ type: "text", text: "done 3" }]);
    });

    test("no log messages without a requested log level (modern rule)", () => {
      assert.ok(
        !connection.wire.received.some((message) => message.method === "notifications/message"),
      );
    });

    test("every request carried modern _meta; every message is valid 2026-07-28", () => {
      for (const message of connection.wire.sent) {
        if (message.id === undefined) continue;
        const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
        assert.equal(meta?.["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
      }
      assert.deepEqual(connection.wire.problems(), []);
    });
  });
}

describe("v2 client in legacy mode", () => {
  test("falls back to initialize and works", async () => {
    const connection = await v2InMemory(buildToolsServer(), "legacy");
    try {
      assert.ok(connection.wire.sent.some((message) => message.method === "initialize"));
      const result = await connection.client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
      assert.deepEqual(result.content, [{ type: "text", text: "3" }]);
      assert.deepEqual(connection.wire.problems(), []);
    } finally {
      await connection.close();
    }
  });
});
