/**
 * examples/otel.ts exports to a collector: a loopback HTTP server standing
 * in for one receives the OTLP/HTTP (JSON) requests, with the spans of a
 * call the official v1 client made over HTTP and the duration metric.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { serveHttp, v1Http } from "../helpers/http.ts";

test("examples/otel.ts: spans and metrics reach an OTLP/HTTP collector", async () => {
  const received = new Map<string, string[]>();
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const list = received.get(req.url ?? "") ?? [];
      list.push(Buffer.concat(chunks).toString("utf8"));
      received.set(req.url ?? "", list);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const { port } = collector.address() as AddressInfo;
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
  const { createServer: createMcp, startTelemetry } = await import("../../examples/otel.ts");
  const telemetry = startTelemetry();
  const served = await serveHttp(createMcp());
  try {
    const { client, close } = await v1Http(served.url);
    const result = await client.callTool({ name: "forecast", arguments: { city: "Oslo" } });
    assert.deepEqual(result.content, [{ type: "text", text: "Sunny in Oslo" }]);
    await client.getPrompt({ name: "outlook", arguments: { city: "Oslo" } });
    await client.readResource({ uri: "weather://Oslo/today" });
    await close();
  } finally {
    await served.stop();
    await telemetry.shutdown();
    collector.close();
  }
  const traces = (received.get("/v1/traces") ?? []).join("\n");
  for (const name of [
    "tools/call forecast",
    "lookup forecast",
    "prompts/get outlook",
    "resources/read",
  ])
    assert.ok(traces.includes(`"${name}"`), `${name} exported`);
  assert.ok(traces.includes('"gen_ai.tool.name"'));
  const metrics = (received.get("/v1/metrics") ?? []).join("\n");
  assert.ok(metrics.includes('"mcp.server.operation.duration"'), "the duration metric exported");
});
