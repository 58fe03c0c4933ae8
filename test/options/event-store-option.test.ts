/**
 * `eventStore` beside the other stores: one option moves every endpoint's
 * stored SSE events, and `http.eventStore` still overrides it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type EventStore, FastMCP, MemoryEventStore } from "../../src/index.ts";
import { LEGACY_HEADERS, legacySession, post, serveHttp } from "../helpers/http.ts";

/** A memory store that counts what it is given. */
class CountingStore extends MemoryEventStore {
  stored = 0;
  override storeEvent(streamId: string, message: object): Promise<string> {
    this.stored += 1;
    return super.storeEvent(streamId, message);
  }
}

function server(options: { eventStore?: EventStore; http?: { eventStore?: EventStore } }) {
  const mcp = new FastMCP("events", options);
  mcp.tool("progress", {}, async (_args, ctx) => {
    await ctx.reportProgress(1, 2);
    return "done";
  });
  return mcp;
}

async function callWithProgress(url: string): Promise<void> {
  const session = await legacySession(url);
  const reply = await post(
    url,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "progress", arguments: {}, _meta: { progressToken: "p" } },
    },
    { ...LEGACY_HEADERS, "mcp-session-id": session },
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.events.length, 2, "a progress event, then the result");
}

test("the top-level eventStore option stores every endpoint's events", async () => {
  const store = new CountingStore();
  const served = await serveHttp(server({ eventStore: store }));
  try {
    await callWithProgress(served.url);
    // The priming event (2025-11-25), the progress notification and the result.
    assert.equal(store.stored, 3);
  } finally {
    await served.stop();
  }
});

test("http.eventStore overrides the top-level eventStore", async () => {
  const top = new CountingStore();
  const own = new CountingStore();
  const served = await serveHttp(server({ eventStore: top, http: { eventStore: own } }));
  try {
    await callWithProgress(served.url);
    assert.equal(top.stored, 0);
    assert.equal(own.stored, 3);
  } finally {
    await served.stop();
  }
});
