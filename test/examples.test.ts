/** Every seed tool example runs, driven by the official v1 client (legacy) and v2 client (2026-07-28). */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { FastMCP } from "../src/index.ts";
import { v1InMemory, v1Stdio, v2InMemory } from "./helpers/clients.ts";

type Content = { type: string; text?: string }[];
const text = (result: object) => ((result as { content?: Content }).content ?? [])[0]?.text;

async function withV1<L>(
  server: FastMCP<L>,
  body: (client: Awaited<ReturnType<typeof v1InMemory>>["client"]) => Promise<void>,
) {
  const connection = await v1InMemory(server);
  try {
    await body(connection.client);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
}

describe("seed examples", () => {
  test("server-options: the four servers of 'Server Initialization'", async () => {
    const { mcp, statelessServer, jsonServer, customPathServer } = await import(
      "../examples/server-options.ts"
    );
    assert.equal(mcp.name, "MyServer");
    assert.equal(statelessServer.options.statelessHttp, true);
    assert.deepEqual(
      [jsonServer.options.statelessHttp, jsonServer.options.jsonResponse],
      [true, true],
    );
    assert.equal(customPathServer.options.streamableHttpPath, "/api/v1/mcp");
  });

  test("basic-tool: add, with the seed's generated schema", async () => {
    const { mcp } = await import("../examples/basic-tool.ts");
    await withV1(mcp, async (client) => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools[0], {
        name: "add",
        description: "Add two numbers.",
        inputSchema: {
          type: "object",
          properties: { a: { type: "integer" }, b: { type: "integer" } },
          required: ["a", "b"],
        },
      });
      assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 40 } })), "42");
    });
  });

  test("async-tool: fetch_data against a local HTTP server", async () => {
    const http = createServer((_req, res) => res.end("payload from loopback"));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const { createServer: create } = await import("../examples/async-tool.ts");
      await withV1(create(), async (client) => {
        const result = await client.callTool({
          name: "fetch_data",
          arguments: { url: `http://127.0.0.1:${port}/` },
        });
        assert.equal(text(result), "payload from loopback");
        const bad = await client.callTool({ name: "fetch_data", arguments: { url: "not a url" } });
        assert.equal(bad.isError, true);
      });
    } finally {
      http.close();
    }
  });

  test("optional-parameters: search with defaults", async () => {
    const { mcp } = await import("../examples/optional-parameters.ts");
    await withV1(mcp, async (client) => {
      const { tools } = await client.listTools();
      const schema = tools[0]?.inputSchema as {
        required: string[];
        properties: Record<string, { default?: unknown }>;
      };
      assert.deepEqual(schema.required, ["query"]);
      assert.equal(schema.properties.limit?.default, 10);
      assert.equal(schema.properties.include_metadata?.default, false);
      const result = await client.callTool({ name: "search", arguments: { query: "a" } });
      assert.ok(Array.isArray(JSON.parse(text(result) ?? "")));
    });
  });

  for (const transport of ["in-memory", "stdio"] as const) {
    test(`context-tool: long_task's logs and five progress updates arrive before the result (${transport})`, async () => {
      const connection =
        transport === "stdio"
          ? await v1Stdio("examples/context-tool.ts")
          : await v1InMemory((await import("../examples/context-tool.ts")).mcp);
      try {
        const events: string[] = [];
        connection.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
          events.push(`${n.params.level}: ${String(n.params.data)}`);
        });
        const result = await connection.client.callTool(
          { name: "long_task", arguments: { task_name: "build" } },
          undefined,
          { onprogress: (p) => events.push(`progress ${p.progress}/${p.total} ${p.message}`) },
        );
        events.push(`result: ${text(result)}`);
        assert.deepEqual(events, [
          "info: Starting: build",
          "debug: Initializing...",
          "progress 0.2/1 Step 1/5",
          "progress 0.4/1 Step 2/5",
          "progress 0.6/1 Step 3/5",
          "progress 0.8/1 Step 4/5",
          "progress 1/1 Step 5/5",
          "result: Completed: build",
        ]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });
  }

  test("structured-output: a model and a TypedDict-like shape, in both eras", async () => {
    const { mcp } = await import("../examples/structured-output.ts");
    await withV1(mcp, async (client) => {
      await client.listTools();
      const weather = await client.callTool({ name: "get_weather", arguments: { city: "Paris" } });
      assert.deepEqual(weather.structuredContent, {
        temperature: 22.5,
        conditions: "Partly cloudy",
        humidity: 65,
      });
      const docs = await client.callTool({ name: "search_docs", arguments: { query: "mcp" } });
      assert.deepEqual(docs.structuredContent, {
        query: "mcp",
        count: 3,
        results: ["doc1", "doc2", "doc3"],
      });
      const chart = await client.callTool({ name: "render_chart", arguments: {} });
      assert.equal((chart.content as { type: string }[])[0]?.type, "image");
      assert.deepEqual(chart.structuredContent, { width: 1, height: 1 });
    });
    const modern = await v2InMemory(mcp, { pin: "2026-07-28" });
    try {
      const { tools } = await modern.client.listTools();
      const weatherTool = tools.find((tool) => tool.name === "get_weather");
      assert.equal(weatherTool?.outputSchema?.type, "object");
      const weather = await modern.client.callTool({
        name: "get_weather",
        arguments: { city: "Paris" },
      });
      assert.equal((weather.structuredContent as { humidity: number }).humidity, 65);
      assert.deepEqual(modern.wire.problems(), []);
    } finally {
      await modern.close();
    }
  });

  test("lifespan: ctx.lifespan.db in a tool", async () => {
    const { mcp } = await import("../examples/lifespan.ts");
    await withV1(mcp, async (client) => {
      const result = await client.callTool({
        name: "query_db",
        arguments: { sql: "SELECT * FROM users" },
      });
      assert.equal(result.isError, undefined);
      assert.ok(text(result));
    });
    await mcp.close();
  });

  test("error-handling: business errors as text, ToolError as isError", async () => {
    const { mcp } = await import("../examples/error-handling.ts");
    await withV1(mcp, async (client) => {
      const missing = await client.callTool({
        name: "risky_operation",
        arguments: { file_path: "/no/such/file" },
      });
      assert.deepEqual(JSON.parse(text(missing) ?? "").error, "File not found: /no/such/file");
      const told = await client.callTool({
        name: "read_file",
        arguments: { file_path: "/no/such/file" },
      });
      assert.equal(told.isError, true);
      assert.match(text(told) ?? "", /File not found/);
    });
  });

  test("valibot-and-arktype: the same add four ways", async () => {
    const { mcp } = await import("../examples/valibot-and-arktype.ts");
    await withV1(mcp, async (client) => {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 4);
      for (const tool of tools) {
        assert.equal(
          text(await client.callTool({ name: tool.name, arguments: { a: 1, b: 2 } })),
          "3",
          tool.name,
        );
      }
      await assert.rejects(client.callTool({ name: "missing", arguments: {} }), /-32602/);
    });
  });

  test("long-task: long_task as a task tool, synchronous for a legacy client (tasks: test/tasks/)", async () => {
    const { createServer } = await import("../examples/long-task.ts");
    await withV1(createServer({ stepMs: 0 }), async (client) => {
      const result = await client.callTool({ name: "long_task", arguments: { task_name: "x" } });
      assert.equal(text(result), "Completed: x");
    });
  });
});
