/** Session lifetimes: idle expiry releases memory; many sessions leave nothing behind. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { FastMCP, MemorySubscriptionStore } from "../../src/index.ts";
import {
  initializeMessage,
  LEGACY_HEADERS,
  legacySession,
  post,
  serveHttp,
} from "../helpers/http.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function initialize(mcp: FastMCP, id: number): Promise<Response> {
  return mcp.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify(initializeMessage("2025-11-25", id)),
    }),
  );
}

test("10,000 sessions created and left idle expire, leaving the table empty and memory bounded", async () => {
  const mcp = new FastMCP("Expiry", { http: { sessionIdleTimeoutMs: 300 } });
  mcp.tool("noop", () => "ok");
  await mcp.start();
  // Warm up, so code loaded on first use is not counted as session memory.
  for (let i = 0; i < 200; i++) await (await initialize(mcp, i)).text();
  while ((await mcp.sessions.size()) > 0) await sleep(50);
  gc();
  const before = process.memoryUsage().heapUsed;
  const ids = new Set<string>();
  for (let batch = 0; batch < 10; batch++) {
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => initialize(mcp, batch * 1000 + i)),
    );
    for (const response of responses) {
      assert.equal(response.status, 200);
      ids.add(response.headers.get("mcp-session-id") as string);
      await response.text();
    }
  }
  assert.equal(ids.size, 10_000, "every session id is new");
  assert.equal(await mcp.sessions.size(), 10_000);
  gc();
  const live = process.memoryUsage().heapUsed - before;
  const deadline = Date.now() + 5000;
  while ((await mcp.sessions.size()) > 0 && Date.now() < deadline) await sleep(50);
  assert.equal(await mcp.sessions.size(), 0);
  ids.clear();
  // One collection can leave garbage that only the next one frees (objects a first pass finds
  // still reachable from weak structures and finalizers); what survives two is really held.
  gc();
  await sleep(50);
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  // The heap is noisy (the test runner, JIT code), so compare with what the live sessions held.
  assert.ok(
    grown < live / 2,
    `heap held ${live} bytes with 10,000 sessions and still ${grown} after they expired`,
  );
  await mcp.close();
});

test("a session in use does not expire; an idle one answers 404 afterwards", async () => {
  const mcp = new FastMCP("Touch", { http: { sessionIdleTimeoutMs: 150 } });
  mcp.tool("noop", () => "ok");
  const init = await initialize(mcp, 1);
  const session = init.headers.get("mcp-session-id") as string;
  const call = () =>
    mcp.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": session,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      }),
    );
  for (let i = 0; i < 6; i++) {
    await sleep(60);
    assert.equal((await call()).status, 200, `request ${i} kept the session alive`);
  }
  await sleep(400);
  assert.equal((await call()).status, 404);
  await mcp.close();
});

test("an expired session's GET stream ends and its subscriptions are forgotten", async () => {
  const subscriptions = new MemorySubscriptionStore();
  const mcp = new FastMCP("Released", {
    http: { sessionIdleTimeoutMs: 300 },
    subscriptionStore: subscriptions,
  });
  mcp.resource("live://a", () => "a");
  const served = await serveHttp(mcp);
  try {
    const session = await legacySession(served.url);
    const subscribe = await post(
      served.url,
      { jsonrpc: "2.0", id: 2, method: "resources/subscribe", params: { uri: "live://a" } },
      { ...LEGACY_HEADERS, "mcp-session-id": session },
    );
    assert.equal(subscribe.status, 200);
    assert.deepEqual(await subscriptions.sessions("live://a"), [session]);
    // An open GET stream is not a request: it does not keep the session alive.
    const stream = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
      signal: AbortSignal.timeout(3000),
    });
    assert.equal(stream.status, 200);
    await stream.text();
    assert.deepEqual(await subscriptions.sessions("live://a"), []);
  } finally {
    await served.stop();
  }
});
