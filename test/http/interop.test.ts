/** The official clients over real Streamable HTTP, in both eras, against one server. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { buildToolsServer } from "../fixtures/tools-server.ts";
import { type Served, serveHttp, v1Http, v2Http } from "../helpers/http.ts";

function text(result: unknown): string | undefined {
  const first = (result as { content?: { type: string; text?: string }[] }).content?.[0];
  return first?.type === "text" ? first.text : undefined;
}

describe("Streamable HTTP with the official clients", () => {
  let served: Served;
  before(async () => {
    served = await serveHttp(buildToolsServer());
  });
  after(() => served.stop());

  test("v1 client: initialize, list, call, structured output, session deleted on close", async () => {
    const { client, wire, transport, close } = await v1Http(served.url);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t) => t.name === "add"));
    assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } })), "5");
    const weather = await client.callTool({ name: "weather", arguments: { city: "Oslo" } });
    assert.deepEqual(weather.structuredContent, { temperature: 4, conditions: "sunny" });
    const sessionId = transport.sessionId;
    assert.match(sessionId ?? "", /^[0-9a-f]{32}$/);
    await transport.terminateSession();
    await close();
    const after = await fetch(served.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId ?? "",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    assert.equal(after.status, 404);
    assert.deepEqual(wire.problems(), []);
  });

  test("v1 client: logs and progress stream on the call's SSE response, before its result", async () => {
    const { client, wire, close } = await v1Http(served.url);
    try {
      const events: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        events.push(`${n.params.level}: ${String(n.params.data)}`);
      });
      const result = await client.callTool(
        { name: "progress", arguments: { steps: 3 } },
        undefined,
        {
          onprogress: (p) => events.push(`progress ${p.progress}/${p.total}`),
        },
      );
      events.push(`result: ${text(result)}`);
      assert.deepEqual(events, [
        "info: starting",
        "debug: details",
        "progress 1/3",
        "progress 2/3",
        "progress 3/3",
        "result: done 3",
      ]);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  for (const mode of ["auto", "legacy", { pin: "2026-07-28" }] as const) {
    const label = typeof mode === "string" ? mode : "2026-07-28";
    test(`v2 client (${label}): list, call, progress`, async () => {
      const { client, wire, close } = await v2Http(served.url, mode);
      try {
        const tools = await client.listTools();
        assert.ok(tools.tools.some((t) => t.name === "weather"));
        const sum = await client.callTool({ name: "add", arguments: { a: 20, b: 22 } });
        assert.equal(text(sum), "42");
        const progress: number[] = [];
        const result = await client.callTool(
          { name: "progress", arguments: { steps: 2 } },
          {
            onprogress: (p: { progress: number }) => progress.push(p.progress),
          },
        );
        assert.equal(text(result), "done 2");
        assert.deepEqual(progress, [1, 2]);
        assert.deepEqual(wire.problems(), []);
      } finally {
        await close();
      }
    });
  }

  test("both eras interleaved on one server and one URL", async () => {
    const legacy = await v1Http(served.url);
    const modern = await v2Http(served.url, { pin: "2026-07-28" });
    try {
      const calls = [];
      for (let i = 0; i < 10; i++) {
        calls.push(legacy.client.callTool({ name: "add", arguments: { a: i, b: 1 } }));
        calls.push(modern.client.callTool({ name: "add", arguments: { a: i, b: 2 } }));
      }
      const results = (await Promise.all(calls)).map(text);
      assert.deepEqual(
        results,
        Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 2)]).flat(),
      );
      assert.deepEqual(legacy.wire.problems(), []);
      assert.deepEqual(modern.wire.problems(), []);
    } finally {
      await legacy.close();
      await modern.close();
    }
  });
});
