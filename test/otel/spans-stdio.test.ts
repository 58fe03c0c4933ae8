/**
 * Over stdio, in both eras, through the official clients: the server (a
 * child process with the SDK's in-memory exporter) reports its spans with
 * a tool; `traceparent` in `params._meta` continues the client's trace.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectEraStdio, ERAS } from "../helpers/eras.ts";

interface SpanSummary {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

for (const era of ERAS) {
  test(`${era} over stdio: spans with the convention's attributes, under the client's traceparent`, async () => {
    const connection = await connectEraStdio("test/fixtures/otel-server.ts", era);
    try {
      const client = connection.client as unknown as {
        callTool(p: {
          name: string;
          arguments?: object;
          _meta?: object;
        }): Promise<{ structuredContent?: unknown; content: { text: string }[] }>;
      };
      await client.callTool({
        name: "add",
        arguments: { a: 1, b: 2 },
        _meta: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`, baggage: "tenant=blue" },
      });
      const result = await client.callTool({ name: "finished_spans", arguments: {} });
      const spans = JSON.parse(result.content[0]?.text ?? "[]") as SpanSummary[];
      const call = spans.find((s) => s.name === "tools/call add");
      assert.ok(call, `tools/call add among ${spans.map((s) => s.name).join(", ")}`);
      assert.equal(call.kind, 1, "SERVER");
      assert.equal(call.traceId, TRACE_ID);
      assert.equal(call.parentSpanId, CLIENT_SPAN);
      assert.equal(call.attributes["network.transport"], "pipe");
      assert.equal(call.attributes["gen_ai.tool.name"], "add");
      assert.equal(
        call.attributes["mcp.protocol.version"],
        era === "legacy" ? "2025-11-25" : "2026-07-28",
      );
      const execute = spans.find((s) => s.name === "execute_tool add");
      assert.equal(execute?.parentSpanId, call.spanId);
      assert.equal(execute?.traceId, TRACE_ID);
    } finally {
      await connection.close();
    }
  });
}
