/**
 * Spans and metrics of a server with `openTelemetry()`, driven by the
 * official clients (v1: legacy era, v2 pinned to 2026-07-28) in process,
 * exported by the SDK's in-memory exporter.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { FastMCP, ToolError } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { ERAS as ASK_ERAS, connectAnswering } from "../helpers/asks.ts";
import { connectEra, ERAS } from "../helpers/eras.ts";
import { registerSdk } from "./sdk.ts";
import { assertChild, one } from "./spans.ts";

const sdk = registerSdk();
afterEach(() => sdk.exporter.reset());

function server(options: Parameters<typeof openTelemetry>[0] = {}): FastMCP {
  const mcp = new FastMCP("traced", { telemetry: openTelemetry(options), logLevel: "error" });
  mcp.tool(
    "add",
    { input: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } } },
    (args) => {
      // A span the handler makes itself nests under the handler's span.
      trace.getTracer("app").startActiveSpan("app work", (span) => span.end());
      return (args.a as number) + (args.b as number);
    },
  );
  mcp.tool("refuse", {}, () => {
    throw new ToolError("not today");
  });
  mcp.prompt("greet", {}, () => "hello");
  mcp.resource("file:///notes.txt", {}, () => "notes");
  return mcp;
}

for (const era of ERAS) {
  test(`${era}: tools/call is a SERVER span with the convention's name and attributes, and its inside nests under it`, async () => {
    const mcp = server();
    const connection = await connectEra(mcp, era);
    try {
      sdk.exporter.reset();
      const client = connection.client as unknown as {
        callTool(p: { name: string; arguments: object }): Promise<unknown>;
      };
      await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
      const spans = sdk.spans();
      const call = one(spans, "tools/call add");
      assert.equal(call.kind, SpanKind.SERVER);
      assert.equal(call.attributes["mcp.method.name"], "tools/call");
      assert.equal(call.attributes["gen_ai.tool.name"], "add");
      assert.equal(call.attributes["gen_ai.operation.name"], "execute_tool");
      assert.equal(
        call.attributes["mcp.protocol.version"],
        era === "legacy" ? "2025-11-25" : "2026-07-28",
      );
      assert.equal(typeof call.attributes["jsonrpc.request.id"], "string");
      assert.equal(call.attributes["network.transport"], "pipe");
      assert.equal(call.attributes["error.type"], undefined);
      assert.equal(call.status.code, SpanStatusCode.UNSET);
      if (era === "legacy") assert.equal(typeof call.attributes["mcp.session.id"], "string");
      else assert.equal(call.attributes["mcp.session.id"], undefined);
      // Arguments and results stay out unless opted in.
      assert.equal(call.attributes["gen_ai.tool.call.arguments"], undefined);
      assert.equal(call.attributes["gen_ai.tool.call.result"], undefined);
      // One span per request by default: the handler runs with it active.
      assert.deepEqual(
        spans.filter((s) => /^(validate_input|execute_tool) /.test(s.name)),
        [],
        "no step spans unless stepSpans",
      );
      assertChild(one(spans, "app work"), call);
    } finally {
      await connection.close();
    }
  });

  test(`${era}: stepSpans adds validate_input and execute_tool under the request span`, async () => {
    const mcp = server({ stepSpans: true });
    const connection = await connectEra(mcp, era);
    try {
      sdk.exporter.reset();
      const client = connection.client as unknown as {
        callTool(p: { name: string; arguments: object }): Promise<unknown>;
      };
      await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
      const spans = sdk.spans();
      const call = one(spans, "tools/call add");
      const validate = one(spans, "validate_input add");
      const execute = one(spans, "execute_tool add");
      assertChild(validate, call);
      assertChild(execute, call);
      assert.equal(validate.attributes["gen_ai.tool.name"], "add");
      assert.equal(execute.attributes["gen_ai.operation.name"], "execute_tool");
      assertChild(one(spans, "app work"), execute);
    } finally {
      await connection.close();
    }
  });

  test(`${era}: failures carry error.type (JSON-RPC code, or tool_error) and an ERROR status`, async () => {
    const mcp = server();
    const connection = await connectEra(mcp, era);
    try {
      sdk.exporter.reset();
      const client = connection.client as unknown as {
        callTool(p: { name: string; arguments: object }): Promise<unknown>;
      };
      await client.callTool({ name: "refuse", arguments: {} });
      await client.callTool({ name: "missing", arguments: {} }).catch(() => undefined);
      const spans = sdk.spans();
      const refused = one(spans, "tools/call refuse");
      assert.equal(refused.attributes["error.type"], "tool_error");
      assert.equal(refused.status.code, SpanStatusCode.ERROR);
      const missing = one(spans, "tools/call missing");
      assert.equal(missing.attributes["error.type"], "-32602");
      assert.equal(missing.attributes["rpc.response.status_code"], "-32602");
      assert.equal(missing.status.code, SpanStatusCode.ERROR);
      assert.match(missing.status.message ?? "", /Unknown tool/);
    } finally {
      await connection.close();
    }
  });

  test(`${era}: prompts/get, resources/read and lists: names, targets, list-cache hits`, async () => {
    const mcp = server();
    const connection = await connectEra(mcp, era);
    try {
      sdk.exporter.reset();
      await connection.client.getPrompt({ name: "greet" });
      await connection.client.readResource({ uri: "file:///notes.txt" });
      await connection.client.listTools();
      await connection.client.listTools();
      const spans = sdk.spans();
      assert.equal(one(spans, "prompts/get greet").attributes["gen_ai.prompt.name"], "greet");
      const read = one(spans, "resources/read");
      assert.equal(read.attributes["mcp.resource.uri"], "file:///notes.txt");
      const lists = spans.filter((s) => s.name === "tools/list");
      assert.equal(lists.length >= 2, true);
      assert.equal(lists.at(-1)?.attributes["fastmcp.list_cache.hit"], true);
    } finally {
      await connection.close();
    }
  });
}

test("arguments and results are recorded when opted in", async () => {
  const mcp = server({ recordArguments: true, recordResults: true });
  const connection = await connectEra(mcp, "legacy");
  try {
    sdk.exporter.reset();
    const client = connection.client as unknown as {
      callTool(p: { name: string; arguments: object }): Promise<unknown>;
    };
    await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    const call = one(sdk.spans(), "tools/call add");
    assert.equal(call.attributes["gen_ai.tool.call.arguments"], '{"a":2,"b":3}');
    assert.equal(call.attributes["gen_ai.tool.call.result"], '[{"type":"text","text":"5"}]');
  } finally {
    await connection.close();
  }
});

for (const era of ASK_ERAS) {
  test(`${era}: an elicitation is a CLIENT span under the request's span`, async () => {
    const mcp = new FastMCP("asking", { telemetry: openTelemetry(), logLevel: "error" });
    mcp.tool("confirm", {}, async (_args, ctx) => {
      const answer = await ctx.elicit("Sure?", { type: "object", properties: {} });
      return answer.action;
    });
    const connection = await connectAnswering(era, mcp, {
      elicit: () => ({ action: "accept", content: {} }),
    });
    try {
      sdk.exporter.reset();
      const result = await connection.call("confirm");
      assert.deepEqual(result.content, [{ type: "text", text: "accept" }]);
      const spans = sdk.spans();
      const asks = spans.filter((s) => s.name === "elicitation/create");
      const calls = spans.filter((s) => s.name === "tools/call confirm");
      // 2026-07-28: two rounds, each a request of its own; the first ends asking.
      assert.equal(calls.length, era.startsWith("2026") ? 2 : 1);
      const last = asks.at(-1);
      assert.ok(last);
      assert.equal(last.kind, SpanKind.CLIENT);
      assert.equal(last.attributes["mcp.method.name"], "elicitation/create");
      assertChild(last, calls.at(-1) as NonNullable<typeof last>);
      if (era.startsWith("2026")) {
        assert.equal(calls[0]?.attributes["fastmcp.result_type"], "input_required");
        assert.equal(asks[0]?.attributes["fastmcp.input_required"], true);
      }
    } finally {
      await connection.close();
    }
  });
}

test("mcp.server.operation.duration and mcp.server.session.duration are recorded, in seconds", async () => {
  const mcp = server();
  const connection = await connectEra(mcp, "legacy");
  const client = connection.client as unknown as {
    callTool(p: { name: string; arguments: object }): Promise<unknown>;
  };
  await client.callTool({ name: "add", arguments: { a: 1, b: 1 } });
  const operation = await sdk.histogram("mcp.server.operation.duration");
  assert.equal(operation.unit, "s");
  const call = operation.points.find((p) => p.attributes["gen_ai.tool.name"] === "add");
  assert.ok(call, "a data point for tools/call add");
  assert.equal(call.attributes["mcp.method.name"], "tools/call");
  assert.equal(call.attributes["gen_ai.operation.name"], "execute_tool");
  assert.equal(
    call.attributes["jsonrpc.request.id"],
    undefined,
    "no per-request values in metrics",
  );
  assert.ok(call.value.count >= 1);
  assert.deepEqual(
    call.value.buckets.boundaries,
    [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  );
  // A tool name the client made up names no time series.
  await client.callTool({ name: "invented-1", arguments: {} }).catch(() => undefined);
  const after = await sdk.histogram("mcp.server.operation.duration");
  assert.ok(after.points.some((p) => p.attributes["error.type"] === "-32602"));
  assert.ok(!after.points.some((p) => p.attributes["gen_ai.tool.name"] === "invented-1"));
  // The connection's close ends its session.
  await connection.close();
  const deadline = Date.now() + 5000;
  let session = await sdk.histogram("mcp.server.session.duration");
  while (session.points.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    session = await sdk.histogram("mcp.server.session.duration");
  }
  assert.equal(session.unit, "s");
  assert.equal(session.points[0]?.attributes["mcp.protocol.version"], "2025-11-25");
});

test("a request the client cancels ends its span with error.type cancelled", async () => {
  const mcp = new FastMCP("cancelling", { telemetry: openTelemetry(), logLevel: "error" });
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  mcp.tool("wait", {}, async (_args, ctx) => {
    started();
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    return "stopped";
  });
  const connection = await connectEra(mcp, "legacy");
  try {
    sdk.exporter.reset();
    const client = connection.client as unknown as {
      callTool(p: object, schema: undefined, o: { signal: AbortSignal }): Promise<unknown>;
    };
    const abort = new AbortController();
    const call = client.callTool({ name: "wait", arguments: {} }, undefined, {
      signal: abort.signal,
    });
    await running;
    abort.abort("changed my mind");
    await call.catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (!sdk.spans().some((s) => s.name === "tools/call wait") && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const span = one(sdk.spans(), "tools/call wait");
    assert.equal(span.attributes["error.type"], "cancelled");
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  } finally {
    await connection.close();
  }
});

test("an unexpected failure is an ERROR span with the exception recorded; the client is named", async () => {
  const mcp = new FastMCP("failing", { telemetry: openTelemetry(), logLevel: "error" });
  mcp.prompt("broken", {}, () => {
    throw new Error("template missing");
  });
  const connection = await connectEra(mcp, "legacy");
  try {
    sdk.exporter.reset();
    await connection.client.getPrompt({ name: "broken" }).catch(() => undefined);
    const span = one(sdk.spans(), "prompts/get broken");
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes["error.type"], "-32603");
    assert.ok(span.events.some((e) => e.name === "exception"));
    assert.equal(span.attributes["fastmcp.client.name"], "v1-test");
  } finally {
    await connection.close();
  }
});

test("given providers are used instead of the global ones; options are checked", async () => {
  const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import(
    "@opentelemetry/sdk-trace"
  );
  const own = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: own })],
  });
  const mcp = new FastMCP("own-provider", {
    telemetry: openTelemetry({ tracerProvider }),
    logLevel: "error",
  });
  mcp.tool("noop", {}, () => "ok");
  const connection = await connectEra(mcp, "modern");
  try {
    sdk.exporter.reset();
    await connection.client.listTools();
    assert.equal(one(own.getFinishedSpans(), "tools/list").kind, SpanKind.SERVER);
    assert.equal(sdk.spans().filter((s) => s.name === "tools/list").length, 0);
  } finally {
    await connection.close();
  }
  assert.throws(() => openTelemetry({ recordArgs: true } as never), /recordArgs/);
  assert.throws(
    () => new FastMCP("bad", { telemetry: {} as never }),
    /telemetry must be what openTelemetry\(\)/,
  );
});
