/**
 * A session store that fails (Redis down) is never taken for an unknown
 * session: a new session gets 503, a request inside one a JSON-RPC error for
 * its id, GET and DELETE 503, and the session works again once the store does.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FastMCP, MemorySessionStore, type SessionRecord } from "../../src/index.ts";
import { LEGACY_HEADERS, legacySession, post, type Served, serveHttp } from "../helpers/http.ts";

/** A memory store that can be switched off, as Redis is when it is down. */
class FlakyStore extends MemorySessionStore {
  down = false;
  #check(): void {
    if (this.down) throw new Error("store down");
  }
  override async get(id: string): Promise<SessionRecord | undefined> {
    this.#check();
    return super.get(id);
  }
  override async set(record: SessionRecord): Promise<void> {
    this.#check();
    return super.set(record);
  }
  override async delete(id: string): Promise<boolean> {
    this.#check();
    return super.delete(id);
  }
  override async size(): Promise<number> {
    this.#check();
    return super.size();
  }
}

const store = new FlakyStore();
let served: Served;

before(async () => {
  const mcp = new FastMCP("flaky", { sessionStore: store });
  mcp.tool("hello", {}, () => "hi");
  served = await serveHttp(mcp);
});

after(() => served.stop());

const call = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "hello" } };

test("store down: 503 for a new session, a JSON-RPC error inside one, 503 for the rest; then service", async () => {
  const session = await legacySession(served.url);
  const inSession = { ...LEGACY_HEADERS, "mcp-session-id": session };
  store.down = true;
  try {
    const init = await post(served.url, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "c", version: "1" },
      },
    });
    assert.equal(init.status, 503);
    assert.equal(init.headers.get("retry-after"), "1");
    assert.deepEqual((init.body as { id: unknown }).id, 1);
    assert.match(JSON.stringify(init.body), /session store cannot be reached/);

    const inside = await post(served.url, call, inSession);
    assert.equal(inside.status, 200);
    assert.deepEqual(inside.body, {
      jsonrpc: "2.0",
      id: 7,
      error: {
        code: -32603,
        message:
          "Service Unavailable: the server's session store cannot be reached; try again shortly",
      },
    });

    const note = await post(served.url, { jsonrpc: "2.0", method: "notifications/x" }, inSession);
    assert.equal(note.status, 503);
    const get = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    assert.equal(get.status, 503);
    await get.body?.cancel();
    const del = await fetch(served.url, {
      method: "DELETE",
      headers: { "mcp-session-id": session },
    });
    assert.equal(del.status, 503);
    await del.body?.cancel();
  } finally {
    store.down = false;
  }
  const back = await post(served.url, call, inSession);
  assert.equal(back.status, 200);
  assert.deepEqual((back.body as { result: { content: unknown } }).result.content, [
    { type: "text", text: "hi" },
  ]);
});
