/**
 * Three processes serving one MCP server with its state in Redis, reached
 * directly (no proxy: each request names the process it goes to). A legacy
 * session's DELETE on one process ends what other processes hold for it;
 * readiness follows Redis down and back while liveness stays up; a call
 * running when Redis goes away still delivers what it sends.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  post,
} from "../helpers/http.ts";
import {
  readStream,
  type Served,
  startServer,
  stopServers,
  subscribers,
  until,
} from "../helpers/redis-cluster.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";

let redis: RedisServer;
let servers: Served[] = [];

before(async () => {
  redis = await startRedis();
  servers = await Promise.all(["p0", "p1", "p2"].map((label) => startServer(redis.url, label)));
});

after(async () => {
  await stopServers(servers);
  await redis?.stop();
});

/** `promise`, or a failure that says what did not happen (rather than a test that hangs). */
async function within<T>(
  promise: Promise<T>,
  ms: number,
  what: string | (() => string),
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`waited ${ms} ms for ${typeof what === "string" ? what : what()}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const sessionHeaders = (sessionId: string) => ({
  ...LEGACY_HEADERS,
  "mcp-session-id": sessionId,
  "mcp-protocol-version": "2025-11-25",
});

test("a DELETE on one process ends the session's GET stream and running requests on the others", async () => {
  const [p0, p1, p2] = servers as [Served, Served, Served];
  const sessionId = await legacySession(p0.url);
  const headers = sessionHeaders(sessionId);

  const get = await fetch(p0.url, { headers: { ...headers, accept: "text/event-stream" } });
  assert.equal(get.status, 200);
  await until(
    () => subscribers(redis.url, `cluster:bus:fastmcp:cluster:session:${sessionId}`),
    5000,
  );
  const held = await fetch(p2.url, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "hold", arguments: {}, _meta: { progressToken: "h" } },
    }),
  });
  // The tool's progress says it runs (the engine holds the request) before the DELETE goes.
  let running = () => {};
  const holding = new Promise<void>((resolve) => {
    running = resolve;
  });
  const heldEvents = readStream(held, (events) => {
    if (events.some((e) => /holding on p2/.test(e.data))) running();
    return events.some((e) => /"id":7/.test(e.data));
  });
  await within(holding, 10_000, "the call on p2 to run");
  const getEvents = readStream(get, () => false);

  const deleted = await fetch(p1.url, { method: "DELETE", headers });
  assert.equal(deleted.status, 200);

  // p0's GET stream ends (the server closes it: no cancel of ours).
  const getDone = await within(getEvents, 10_000, "the GET stream on p0 to end");
  assert.equal(getDone.ended, true, "the GET stream on p0 ended");
  assert.equal(
    await subscribers(redis.url, `cluster:bus:fastmcp:cluster:session:${sessionId}`),
    false,
  );
  // p2's running call is aborted and says why, on its own stream.
  const { events } = await within(
    heldEvents,
    10_000,
    () => `the call on p2 to be aborted; p2's log:\n${p2.stderr}`,
  );
  assert.match(events.find((e) => /"progress":1/.test(e.data))?.data ?? "", /holding on p2/);
  const answer = JSON.parse(events.find((e) => /"id":7/.test(e.data))?.data ?? "{}") as {
    error?: { code: number; message: string };
  };
  assert.equal(answer.error?.code, -32603);
  assert.match(answer.error?.message ?? "", /Request aborted: The session ended/);

  // And the session is gone everywhere.
  for (const server of servers) {
    const after = await fetch(server.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 8, method: "ping" }),
    });
    assert.equal(after.status, 404);
  }
});

async function probe(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

test("readiness follows Redis down and back; liveness stays up, and so do 2026-07-28 calls", async () => {
  const [p0, p1] = servers as [Served, Served, Served];
  assert.deepEqual(await probe(`${p0.base}/readyz`), { status: 200, body: { status: "ok" } });

  await redis.stop();
  try {
    for (const server of [p0, p1]) {
      const ready = await probe(`${server.base}/readyz`);
      assert.equal(ready.status, 503);
      const { status, failing } = ready.body as { status: string; failing: string[] };
      assert.equal(status, "unavailable");
      // Every Redis-backed store says so by name; the server itself still serves.
      assert.deepEqual([...failing].sort(), [
        "bus",
        "eventStore",
        "sessionStore",
        "subscriptionStore",
        "taskStore",
      ]);
      assert.deepEqual(await probe(`${server.base}/healthz`), {
        status: 200,
        body: { status: "ok" },
      });
    }
    // A 2026-07-28 call touches no store: served all the same.
    const modern = await post(
      p0.url,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "whoami", arguments: {}, _meta: MODERN_META },
      },
      { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "whoami" },
    );
    assert.equal(modern.status, 200, JSON.stringify(modern.body));
    assert.match(JSON.stringify(modern.body), /"text":"p0"/);
    // Why goes to the log, once per change, not to the prober.
    await until(() => /Not ready: .*sessionStore/.test(p0.stderr), 5000);
    assert.match(p0.stderr, /Redis at 127\.0\.0\.1:\d+ is unavailable/);
  } finally {
    await redis.start();
  }
  await until(async () => (await probe(`${p0.base}/readyz`)).status === 200, 10_000);
  await until(async () => (await probe(`${p1.base}/readyz`)).status === 200, 10_000);
  // Ready means serving: a new session works at once.
  assert.ok(await legacySession(p1.url));
});

test("a call running when Redis goes away still delivers its progress and its result, without ids", async () => {
  const [p0] = servers as [Served, Served, Served];
  const sessionId = await legacySession(p0.url);
  const call = await fetch(p0.url, {
    method: "POST",
    headers: sessionHeaders(sessionId),
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "outlast", arguments: {}, _meta: { progressToken: "o" } },
    }),
  });
  // The tool reports once, then waits until its process finds Redis gone.
  let first = () => {};
  const reported = new Promise<void>((resolve) => {
    first = resolve;
  });
  const reading = readStream(call, (events) => {
    if (events.some((e) => /"progress":1/.test(e.data))) first();
    return false;
  });
  await within(reported, 10_000, "the first progress");
  await redis.stop();
  try {
    const { events, ended } = await within(reading, 10_000, "the call to answer");
    assert.equal(ended, true);
    const [priming, before, after, answer] = events;
    assert.equal(priming?.data, "");
    assert.match(before?.data ?? "", /"progress":1/);
    assert.ok(before?.id, "stored while Redis was up: resumable");
    // The store failed: delivered all the same, only without an id to resume from.
    assert.match(after?.data ?? "", /"progress":2/);
    assert.equal(after?.id, undefined);
    assert.match(answer?.data ?? "", /"id":3,"result".*outlasted Redis on p0/);
    assert.equal(answer?.id, undefined);
    assert.match(p0.stderr, /Could not store an SSE event; sent without an id/);
  } finally {
    await redis.start();
  }
});
