/**
 * The handler spans of prompts/get (`render_prompt {prompt}`) and
 * resources/read (`read_resource {uri or template}`), like the tool's
 * `execute_tool {tool}` (all three with `stepSpans`): children of the
 * request span, active while the handler runs, failed with the handler. Both eras, through the official
 * clients in process, exported by the SDK's in-memory exporter.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { connectEra, ERAS } from "../helpers/eras.ts";
import { registerSdk } from "./sdk.ts";
import { assertChild, one } from "./spans.ts";

const sdk = registerSdk();
afterEach(() => sdk.exporter.reset());

/** A span the handler makes itself: it must nest under the handler's span. */
function appWork(name: string): void {
  trace.getTracer("app").startActiveSpan(name, (span) => span.end());
}

function server(stepSpans = true): FastMCP {
  const mcp = new FastMCP("handlers", {
    telemetry: openTelemetry({ stepSpans }),
    logLevel: "error",
  });
  mcp.prompt("greet", { args: { who: z.string() } }, ({ who }) => {
    appWork("prompt work");
    return `hello ${who}`;
  });
  mcp.prompt("broken", {}, () => {
    throw new Error("no prompt today");
  });
  mcp.resource("file:///notes.txt", {}, () => {
    appWork("resource work");
    return "notes";
  });
  mcp.tool("quote", {}, async (_args, ctx) => {
    const read = await ctx.readResource("file:///notes.txt");
    return JSON.stringify(read);
  });
  mcp.resource("users://{id}/profile", {}, ({ id }) => `profile of ${id}`);
  mcp.resource("file:///broken.txt", {}, () => {
    throw new Error("unreadable");
  });
  return mcp;
}

for (const era of ERAS) {
  test(`${era}: prompts/get has a render_prompt span under it, active while the prompt renders`, async () => {
    const connection = await connectEra(server(), era);
    try {
      sdk.exporter.reset();
      await connection.client.getPrompt({ name: "greet", arguments: { who: "Ada" } });
      const spans = sdk.spans();
      const request = one(spans, "prompts/get greet");
      const render = one(spans, "render_prompt greet");
      assertChild(render, request);
      assert.equal(render.kind, SpanKind.INTERNAL);
      assert.equal(render.attributes["gen_ai.prompt.name"], "greet");
      assert.equal(render.status.code, SpanStatusCode.UNSET);
      assertChild(one(spans, "prompt work"), render);
    } finally {
      await connection.close();
    }
  });

  test(`${era}: a prompt that throws fails its render_prompt span`, async () => {
    const connection = await connectEra(server(), era);
    try {
      sdk.exporter.reset();
      await assert.rejects(connection.client.getPrompt({ name: "broken" }));
      const render = one(sdk.spans(), "render_prompt broken");
      assert.equal(render.status.code, SpanStatusCode.ERROR);
      assert.equal(render.status.message, "no prompt today");
      assert.equal(render.attributes["error.type"], "Error");
    } finally {
      await connection.close();
    }
  });

  test(`${era}: resources/read has a read_resource span named by the resource's URI`, async () => {
    const connection = await connectEra(server(), era);
    try {
      sdk.exporter.reset();
      await connection.client.readResource({ uri: "file:///notes.txt" });
      const spans = sdk.spans();
      const read = one(spans, "read_resource file:///notes.txt");
      assertChild(read, one(spans, "resources/read"));
      assert.equal(read.attributes["mcp.resource.uri"], "file:///notes.txt");
      assert.equal(read.attributes["fastmcp.resource.template"], undefined);
      assertChild(one(spans, "resource work"), read);
    } finally {
      await connection.close();
    }
  });

  test(`${era}: a template's read is named by the template, never by the client's URI`, async () => {
    const connection = await connectEra(server(), era);
    try {
      sdk.exporter.reset();
      await connection.client.readResource({ uri: "users://42/profile" });
      const read = one(sdk.spans(), "read_resource users://{id}/profile");
      assert.equal(read.attributes["mcp.resource.uri"], "users://42/profile");
      assert.equal(read.attributes["fastmcp.resource.template"], "users://{id}/profile");
    } finally {
      await connection.close();
    }
  });

  test(`${era}: a reader that throws fails its read_resource span; an unknown URI has none`, async () => {
    const connection = await connectEra(server(), era);
    try {
      sdk.exporter.reset();
      await assert.rejects(connection.client.readResource({ uri: "file:///broken.txt" }));
      await assert.rejects(connection.client.readResource({ uri: "file:///missing.txt" }));
      const spans = sdk.spans();
      const read = one(spans, "read_resource file:///broken.txt");
      assert.equal(read.status.code, SpanStatusCode.ERROR);
      assert.equal(read.status.message, "unreadable");
      assert.deepEqual(
        spans.filter((s) => s.name.startsWith("read_resource")).map((s) => s.name),
        ["read_resource file:///broken.txt"],
      );
    } finally {
      await connection.close();
    }
  });
}

test("without stepSpans: no handler spans; the handler's own spans nest under the request span", async () => {
  const connection = await connectEra(server(false), "legacy");
  try {
    sdk.exporter.reset();
    await connection.client.getPrompt({ name: "greet", arguments: { who: "Ada" } });
    await connection.client.readResource({ uri: "file:///notes.txt" });
    const spans = sdk.spans();
    assert.deepEqual(
      spans.filter((s) => /^(render_prompt|read_resource) /.test(s.name)).map((s) => s.name),
      [],
    );
    assertChild(one(spans, "prompt work"), one(spans, "prompts/get greet"));
    assertChild(one(spans, "resource work"), one(spans, "resources/read"));
  } finally {
    await connection.close();
  }
});

test("a read through ctx.readResource inside a tool nests under the tool's span", async () => {
  const connection = await connectEra(server(), "legacy");
  try {
    sdk.exporter.reset();
    const client = connection.client as unknown as {
      callTool(p: { name: string; arguments: object }): Promise<unknown>;
    };
    await client.callTool({ name: "quote", arguments: {} });
    const spans = sdk.spans();
    assertChild(one(spans, "read_resource file:///notes.txt"), one(spans, "execute_tool quote"));
  } finally {
    await connection.close();
  }
});

test("a request span that does not record (sampled out) makes no handler spans, metrics still on", async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new AlwaysOffSampler(),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const mcp = new FastMCP("sampled-out", {
    telemetry: openTelemetry({ tracerProvider: provider, stepSpans: true }),
    logLevel: "error",
  });
  let rendered = 0;
  mcp.prompt("p", {}, () => {
    rendered++;
    return "p";
  });
  mcp.resource("file:///r.txt", {}, () => "r");
  const connection = await connectEra(mcp, "legacy");
  try {
    await connection.client.getPrompt({ name: "p" });
    await connection.client.readResource({ uri: "file:///r.txt" });
    assert.equal(rendered, 1);
    assert.deepEqual(exporter.getFinishedSpans(), []);
    // The global meter provider is registered: the request still had a (metrics-only) trace.
    const { points } = await sdk.histogram("mcp.server.operation.duration");
    assert.ok(points.some((p) => p.attributes["mcp.method.name"] === "prompts/get"));
  } finally {
    await connection.close();
  }
});
