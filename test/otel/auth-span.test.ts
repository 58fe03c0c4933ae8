/**
 * The bearer-token check of an HTTP request is a span of its own, in the
 * trace the request's `traceparent` header names, saying whether the token
 * let the request in. Driven by the official v1 client over HTTP.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StaticTokenVerifier } from "../../src/auth/static-verifier.ts";
import { FastMCP } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { v1Client } from "../helpers/clients.ts";
import { LEGACY_HEADERS, post, type Served, serveHttp } from "../helpers/http.ts";
import { registerSdk } from "./sdk.ts";

const sdk = registerSdk();
const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const CLIENT_SPAN = "b7ad6b7169203331";
const traceparent = `00-${TRACE_ID}-${CLIENT_SPAN}-01`;
let served: Served;

before(async () => {
  const mcp = new FastMCP("guarded", {
    telemetry: openTelemetry(),
    logLevel: "error",
    tokenVerifier: new StaticTokenVerifier({ good: { scopes: ["mcp"], subject: "ann" } }),
    auth: { issuerUrl: "https://auth.example.com", resourceServerUrl: "http://127.0.0.1:1/mcp" },
  });
  mcp.tool("whoami", {}, (_args, ctx) => ctx.auth?.subject ?? "nobody");
  served = await serveHttp(mcp);
});
after(() => served.stop());

test("a verified token: a verify_token span in the client's trace, then the request's", async () => {
  const client = v1Client({});
  await client.connect(
    new V1Http(new URL(served.url), {
      requestInit: { headers: { authorization: "Bearer good", traceparent } },
    }),
  );
  try {
    sdk.exporter.reset();
    const result = await client.callTool({ name: "whoami", arguments: {} });
    assert.deepEqual(result.content, [{ type: "text", text: "ann" }]);
    const spans = sdk.spans();
    const checks = spans.filter((s) => s.name === "verify_token");
    assert.ok(checks.length >= 1);
    for (const check of checks) {
      assert.equal(check.spanContext().traceId, TRACE_ID);
      assert.equal(check.parentSpanContext?.spanId, CLIENT_SPAN);
      assert.equal(check.attributes["fastmcp.auth.verified"], true);
    }
    const call = spans.find((s) => s.name === "tools/call whoami");
    assert.equal(call?.spanContext().traceId, TRACE_ID);
  } finally {
    await client.close();
  }
});

test("a refused token: the span says so, and no request span follows", async () => {
  sdk.exporter.reset();
  const response = await post(
    served.url,
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { ...LEGACY_HEADERS, authorization: "Bearer wrong", traceparent },
  );
  assert.equal(response.status, 401);
  const spans = sdk.spans();
  assert.deepEqual(
    spans.map((s) => [s.name, s.attributes["fastmcp.auth.verified"]]),
    [["verify_token", false]],
  );
});
