/** The 2024-11-05 HTTP+SSE transport, opt-in for old clients, next to Streamable HTTP. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client as V2Client, SSEClientTransport as V2Sse } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport as V1Sse } from "@modelcontextprotocol/sdk/client/sse.js";
import { FastMCP } from "../../src/index.ts";
import { buildToolsServer } from "../fixtures/tools-server.ts";
import { initializeMessage, parseSse, type Served, serveHttp, v1Http } from "../helpers/http.ts";
import { recording, WireLog } from "../helpers/wire.ts";

function text(result: unknown): string | undefined {
  const first = (result as { content?: { type: string; text?: string }[] }).content?.[0];
  return first?.type === "text" ? first.text : undefined;
}

describe("HTTP+SSE (2024-11-05)", () => {
  let served: Served;
  let base: string;
  before(async () => {
    served = await serveHttp(buildToolsServer(), { legacySse: true });
    base = served.url.replace(/\/mcp$/, "");
  });
  after(() => served.stop());

  test("the v1 SSE client: list, call, progress", async () => {
    const transport = new V1Sse(new URL(`${base}/sse`));
    const client = new V1Client({ name: "sse-v1", version: "1.0.0" });
    const wire = new WireLog(() => "2025-11-25");
    await client.connect(recording(transport as never, wire) as never);
    try {
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === "add"));
      assert.equal(text(await client.callTool({ name: "add", arguments: { a: 1, b: 1 } })), "2");
      const progress: number[] = [];
      const result = await client.callTool(
        { name: "progress", arguments: { steps: 3 } },
        undefined,
        {
          onprogress: (p) => progress.push(p.progress),
        },
      );
      assert.equal(text(result), "done 3");
      assert.deepEqual(progress, [1, 2, 3]);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await client.close();
    }
  });

  test("the v2 SSE client", async () => {
    const client = new V2Client({ name: "sse-v2", version: "1.0.0" });
    await client.connect(new V2Sse(new URL(`${base}/sse`)) as never);
    try {
      assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 2 } })), "4");
    } finally {
      await client.close();
    }
  });

  test("raw: the endpoint event, a 2024-11-05 handshake, 202 Accepted, answers as message events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/sse`, {
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const nextEvent = async () => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const [event] = parseSse(buffer.slice(0, end + 2));
          buffer = buffer.slice(end + 2);
          if (event) return event;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const endpoint = await nextEvent();
    assert.equal(endpoint.event, "endpoint");
    assert.match(endpoint.data, /^messages\?sessionId=[0-9a-f]{32}$/);
    const postUrl = new URL(endpoint.data, `${base}/sse`).toString();
    const accepted = await fetch(postUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(initializeMessage("2024-11-05")),
    });
    assert.equal(accepted.status, 202);
    assert.equal(await accepted.text(), "Accepted");
    const init = await nextEvent();
    assert.equal(init.event, "message");
    const result = (JSON.parse(init.data) as { result: { protocolVersion: string } }).result;
    assert.equal(result.protocolVersion, "2024-11-05");
    const unknown = await fetch(`${base}/messages?sessionId=nope`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(unknown.status, 404);
    controller.abort();
  });

  test("Streamable HTTP keeps working on the same server", async () => {
    const { client, close } = await v1Http(served.url);
    try {
      assert.equal(text(await client.callTool({ name: "add", arguments: { a: 3, b: 3 } })), "6");
    } finally {
      await close();
    }
  });

  test("off by default", async () => {
    const plain = await serveHttp(new FastMCP("NoSse"));
    try {
      const response = await fetch(plain.url.replace(/\/mcp$/, "/sse"));
      assert.equal(response.status, 404);
    } finally {
      await plain.stop();
    }
  });
});
