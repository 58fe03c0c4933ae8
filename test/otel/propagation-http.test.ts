/**
 * A client's trace continues into the server over Streamable HTTP: the v1
 * client sends `traceparent` as an HTTP header, the v2 client (2026-07-28)
 * in `params._meta` (SEP-414); `_meta` wins over the header, which is then
 * linked. The server's request span is a child of the client's span.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { StreamableHTTPClientTransport as V2Http } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { FastMCP } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { v1Client, v2Client } from "../helpers/clients.ts";
import { MODERN_HEADERS, MODERN_META, post, type Served, serveHttp } from "../helpers/http.ts";
import { registerSdk } from "./sdk.ts";
import { assertChild, one } from "./spans.ts";

const sdk = registerSdk();
const clientTracer = trace.getTracer("client-app");
let served: Served;

before(async () => {
  const mcp = new FastMCP("traced-http", { telemetry: openTelemetry(), logLevel: "error" });
  mcp.tool(
    "echo",
    { input: { type: "object", properties: { text: { type: "string" } } } },
    (args) => String(args.text),
  );
  served = await serveHttp(mcp);
});
after(() => served.stop());
afterEach(() => sdk.exporter.reset());

/** The W3C headers for the active context, as the application's propagator writes them. */
function injected(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

test("v1 client over HTTP: traceparent in the POST's headers makes the server's span a child of the client's", async () => {
  const parent = clientTracer.startSpan("client operation", { kind: SpanKind.CLIENT });
  const headers = context.with(trace.setSpan(context.active(), parent), injected);
  assert.match(headers.traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const client = v1Client({});
  await client.connect(new V1Http(new URL(served.url), { requestInit: { headers } }));
  try {
    sdk.exporter.reset();
    await client.callTool({ name: "echo", arguments: { text: "hi" } });
    parent.end();
    const spans = sdk.spans();
    const call = one(spans, "tools/call echo");
    assertChild(call, one(spans, "client operation"));
    assert.equal(call.spanContext().traceId, parent.spanContext().traceId);
    assert.equal(call.attributes["network.transport"], "tcp");
    assert.equal(call.attributes["network.protocol.name"], "http");
    assert.equal(call.attributes["mcp.protocol.version"], "2025-11-25");
    assert.equal(typeof call.attributes["mcp.session.id"], "string");
  } finally {
    await client.close();
  }
});

test("v2 client (2026-07-28) over HTTP: traceparent in params._meta makes the server's span a child of the client's", async () => {
  const client = v2Client({ pin: "2026-07-28" }, {});
  await client.connect(new V2Http(new URL(served.url)));
  try {
    sdk.exporter.reset();
    const parent = clientTracer.startSpan("client operation", { kind: SpanKind.CLIENT });
    const meta = context.with(trace.setSpan(context.active(), parent), injected);
    await client.callTool({ name: "echo", arguments: { text: "hi" }, _meta: meta });
    parent.end();
    const spans = sdk.spans();
    const call = one(spans, "tools/call echo");
    assertChild(call, one(spans, "client operation"));
    assert.equal(call.attributes["mcp.protocol.version"], "2026-07-28");
    assert.equal(call.links.length, 0);
  } finally {
    await client.close();
  }
});

test("_meta takes precedence over the HTTP header; the header's context is linked", async () => {
  const viaMeta = clientTracer.startSpan("meta parent");
  const viaHeader = clientTracer.startSpan("header parent");
  const meta = context.with(trace.setSpan(context.active(), viaMeta), injected);
  const headers = context.with(trace.setSpan(context.active(), viaHeader), injected);
  viaMeta.end();
  viaHeader.end();
  sdk.exporter.reset();
  const response = await post(
    served.url,
    {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "x" }, _meta: { ...MODERN_META, ...meta } },
    },
    { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "echo", ...headers },
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const call = one(sdk.spans(), "tools/call echo");
  assert.equal(call.spanContext().traceId, viaMeta.spanContext().traceId);
  assert.equal(call.parentSpanContext?.spanId, viaMeta.spanContext().spanId);
  assert.equal(call.attributes["jsonrpc.request.id"], "7");
  assert.deepEqual(
    call.links.map((l) => l.context.spanId),
    [viaHeader.spanContext().spanId],
  );
});

test("a malformed traceparent starts a new trace instead of failing the request", async () => {
  sdk.exporter.reset();
  const response = await post(
    served.url,
    {
      jsonrpc: "2.0",
      id: 8,
      method: "tools/call",
      params: {
        name: "echo",
        arguments: { text: "x" },
        _meta: { ...MODERN_META, traceparent: "00-zz-not-a-trace-01", baggage: 42 },
      },
    },
    { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "echo" },
  );
  assert.equal(response.status, 200);
  const call = one(sdk.spans(), "tools/call echo");
  assert.equal(call.parentSpanContext, undefined);
});
