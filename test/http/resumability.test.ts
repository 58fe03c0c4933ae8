/** A dropped SSE stream is resumed with Last-Event-ID and loses no event. */
import assert from "node:assert/strict";
import { createServer, Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import {
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  parseSse,
  post,
  postCall,
  type Served,
  serveHttp,
  v1Http,
} from "../helpers/http.ts";
import { recording, WireLog } from "../helpers/wire.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildServer(): FastMCP {
  const mcp = new FastMCP("Resumable", { http: { sseRetryMs: 50 } });
  mcp.tool("ticker", { input: { steps: z.number().int() } }, async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      await ctx.reportProgress(i, steps);
      await sleep(40);
    }
    return `ticked ${steps}`;
  });
  // Closes its own stream, then keeps reporting: the client must come back for the rest.
  mcp.tool("poller", { input: { steps: z.number().int() } }, async ({ steps }, ctx) => {
    const closed = await ctx.closeSSEStream();
    for (let i = 1; i <= steps; i++) {
      await sleep(20);
      await ctx.reportProgress(i, steps);
    }
    return `closed: ${closed}`;
  });
  return mcp;
}

/** A fetch that records every request the official client makes. */
function loggingFetch(log: { method: string; lastEventId: string | null; status?: number }[]) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const entry = { method: init?.method ?? "GET", lastEventId: headers.get("last-event-id") };
    log.push(entry);
    const response = await fetch(input, init);
    Object.assign(entry, { status: response.status });
    return response;
  };
}

/** Reads SSE events from a response until `count` data events arrived; returns them and the raw text. */
async function readEvents(response: Response, count: number) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const events = parseSse(text.slice(0, text.lastIndexOf("\n\n") + 2));
    if (events.filter((e) => e.data !== "").length >= count) return { events, reader };
  }
  return { events: parseSse(text), reader };
}

describe("resumable SSE (legacy sessions)", () => {
  let served: Served;
  before(async () => {
    served = await serveHttp(buildServer());
  });
  after(() => served.stop());

  test("a 2025-11-25 stream starts with a priming event carrying an id and retry", async () => {
    const session = await legacySession(served.url);
    const response = await postCall(served.url, session, {
      name: "ticker",
      arguments: { steps: 1 },
      _meta: { progressToken: "t" },
    });
    const events = parseSse(await response.text());
    assert.equal(events[0]?.data, "");
    assert.equal(events[0]?.retry, 50);
    assert.ok(events[0]?.id);
    assert.ok(events.every((e) => e.id !== undefined));
  });

  test("older versions get no priming event", async () => {
    const session = await legacySession(served.url, "2025-06-18");
    const response = await postCall(served.url, session, {
      name: "ticker",
      arguments: { steps: 1 },
      _meta: { progressToken: "t" },
    });
    const events = parseSse(await response.text());
    assert.ok(events.every((e) => e.data !== ""));
  });

  test("raw: drop the stream mid-call, GET with Last-Event-ID gets the rest and the result", async () => {
    const session = await legacySession(served.url);
    const controller = new AbortController();
    const response = await postCall(
      served.url,
      session,
      { name: "ticker", arguments: { steps: 5 }, _meta: { progressToken: "t" } },
      controller.signal,
    );
    const { events } = await readEvents(response, 2);
    controller.abort();
    const seen = events.filter((e) => e.data !== "");
    assert.equal(seen.length, 2);
    const lastId = seen.at(-1)?.id as string;
    await sleep(60);
    const resumed = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session, "last-event-id": lastId },
    });
    assert.equal(resumed.status, 200);
    const rest = parseSse(await resumed.text()).filter((e) => e.data !== "");
    const messages = [...seen, ...rest].map(
      (e) => JSON.parse(e.data) as { params?: { progress: number }; result?: unknown },
    );
    assert.deepEqual(
      messages.slice(0, 5).map((m) => m.params?.progress),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(messages[5]?.result, { content: [{ type: "text", text: "ticked 5" }] });
    assert.equal(messages.length, 6);
  });

  test("a Last-Event-ID from another session is refused", async () => {
    const a = await legacySession(served.url);
    const b = await legacySession(served.url);
    const response = await postCall(served.url, a, {
      name: "ticker",
      arguments: { steps: 1 },
      _meta: { progressToken: "t" },
    });
    const id = parseSse(await response.text())[0]?.id as string;
    const stolen = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": b, "last-event-id": id },
    });
    assert.equal(stolen.status, 404);
  });

  test("the v1 client resumes a stream the network dropped, and loses no progress", async () => {
    // A TCP proxy that cuts the connection right after the first progress event.
    let cut = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = new Socket();
      sockets.add(client).add(upstream);
      upstream.connect(served.port, "127.0.0.1");
      client.pipe(upstream);
      upstream.on("data", (chunk: Buffer) => {
        client.write(chunk);
        if (!cut && chunk.toString().includes("notifications/progress")) {
          cut = true;
          client.destroy();
          upstream.destroy();
        }
      });
      upstream.on("end", () => client.end());
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as { port: number }).port;
    const { client, wire, close } = await v1Http(`http://127.0.0.1:${port}/mcp`);
    try {
      const progress: number[] = [];
      const result = await client.callTool({ name: "ticker", arguments: { steps: 5 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
        timeout: 10_000,
      });
      assert.ok(cut, "the proxy cut the stream");
      assert.deepEqual(progress, [1, 2, 3, 4, 5]);
      assert.deepEqual(result.content, [{ type: "text", text: "ticked 5" }]);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
      for (const socket of sockets) socket.destroy();
      proxy.close();
    }
  });

  test("ctx.closeSSEStream: the POST gets only the priming event; GET with Last-Event-ID gets the rest", async () => {
    const session = await legacySession(served.url);
    const response = await postCall(
      served.url,
      session,
      { name: "poller", arguments: { steps: 3 }, _meta: { progressToken: "p" } },
      undefined,
      7,
    );
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const first = parseSse(await response.text());
    assert.equal(first.length, 1, "the stream ended after the priming event");
    assert.equal(first[0]?.data, "");
    assert.equal(first[0]?.retry, 50);
    const resumed = await fetch(served.url, {
      headers: {
        accept: "text/event-stream",
        "mcp-session-id": session,
        "last-event-id": first[0]?.id as string,
      },
    });
    assert.equal(resumed.status, 200);
    const messages = parseSse(await resumed.text()).map(
      (e) => JSON.parse(e.data) as { params?: { progress: number }; id?: number; result?: unknown },
    );
    assert.deepEqual(
      messages.map((m) => m.params?.progress ?? m.id),
      [1, 2, 3, 7],
    );
    assert.deepEqual(messages[3]?.result, { content: [{ type: "text", text: "closed: true" }] });
  });

  test("ctx.closeSSEStream with the v1 client: it comes back for the progress and the result", async () => {
    const log: { method: string; lastEventId: string | null; status?: number }[] = [];
    const transport = new StreamableHTTPClientTransport(new URL(served.url), {
      fetch: loggingFetch(log),
    });
    const client = new Client({ name: "v1-polling-test", version: "1.0.0" });
    const wire = new WireLog(() => "2025-11-25");
    await client.connect(recording(transport as never, wire) as never);
    try {
      const progress: number[] = [];
      const result = await client.callTool({ name: "poller", arguments: { steps: 3 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
        timeout: 10_000,
      });
      assert.deepEqual(result.content, [{ type: "text", text: "closed: true" }]);
      assert.deepEqual(progress, [1, 2, 3]);
      const resumes = log.filter((entry) => entry.method === "GET" && entry.lastEventId !== null);
      assert.equal(resumes.length, 1, "one GET with Last-Event-ID");
      assert.equal(resumes[0]?.status, 200);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await client.close();
    }
  });

  test("ctx.closeSSEStream does nothing where the client could not come back", async () => {
    // 2025-06-18: no priming event, so nothing to resume from.
    const old = await legacySession(served.url, "2025-06-18");
    const legacy = await post(
      served.url,
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "poller", arguments: { steps: 1 } },
      },
      { ...LEGACY_HEADERS, "mcp-session-id": old },
    );
    assert.deepEqual((legacy.body as { result: unknown }).result, {
      content: [{ type: "text", text: "closed: false" }],
    });
    // 2026-07-28: no sessions, no resumption.
    const modern = await post(
      served.url,
      {
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "poller", arguments: { steps: 1 }, _meta: MODERN_META },
      },
      { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "poller" },
    );
    assert.deepEqual((modern.body as { result: { content: unknown } }).result.content, [
      { type: "text", text: "closed: false" },
    ]);
  });
});
