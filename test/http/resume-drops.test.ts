/**
 * A connection that drops at any point of a legacy request's stream, the
 * result included, is resumed with Last-Event-ID and every event arrives
 * exactly once: the result is never lost, never repeated.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { z } from "zod";
import { type EventStore, FastMCP, MemoryEventStore } from "../../src/index.ts";
import {
  initializeMessage,
  LEGACY_HEADERS,
  legacySession,
  parseSse,
  type Served,
  serveHttp,
} from "../helpers/http.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Message {
  id?: number;
  method?: string;
  params?: { progress?: number };
  result?: { content?: { text?: string }[] };
}

/**
 * POSTs a `tools/call` over a connection of its own and reads the SSE answer
 * as it arrives. After each chunk `cut(text)` is asked how much of the text
 * the client had read when its connection dies (undefined: it reads on). The
 * socket is then destroyed; the text returned is what the client read.
 */
function callAndDrop(
  url: string,
  session: string,
  id: number,
  params: Record<string, unknown>,
  cut: (text: string) => number | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent: false,
      headers: { ...LEGACY_HEADERS, "mcp-session-id": session },
    });
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    req.on("response", (res) => {
      res.setEncoding("utf8");
      let text = "";
      let settled = false;
      res.on("data", (chunk: string) => {
        if (settled) return;
        text += chunk;
        const read = cut(text);
        if (read === undefined) return;
        settled = true;
        req.destroy();
        resolve(text.slice(0, read));
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        resolve(text);
      });
      res.on("error", () => undefined);
    });
    req.end(JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params }));
  });
}

/** The whole events in what a client read (a partial last event is not one). */
function eventsIn(text: string) {
  return parseSse(text.slice(0, text.lastIndexOf("\n\n") + 2));
}

/** GET with Last-Event-ID: the status and the messages of the resumed stream. */
async function resume(url: string, session: string, lastEventId: string) {
  const response = await fetch(url, {
    headers: {
      accept: "text/event-stream",
      "mcp-session-id": session,
      "last-event-id": lastEventId,
    },
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, text, messages: [] };
  const messages = parseSse(text)
    .filter((e) => e.data !== "")
    .map((e) => JSON.parse(e.data) as Message);
  return { status: response.status, text, messages };
}

/** A small deterministic generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("dropped connections resume without losing or repeating the result", () => {
  let served: Served;
  let held: Gate = gate();
  before(async () => {
    const mcp = new FastMCP("Drops", { http: { sseRetryMs: 10 } });
    // One progress update, then the result once the test lets it go.
    mcp.tool("gated", async (_args, ctx) => {
      await ctx.reportProgress(1, 2);
      await held.promise;
      return "gated result";
    });
    // Progress updates a millisecond apart, then the result: a stream with many points to cut.
    mcp.tool("burst", { input: { steps: z.number().int() } }, async ({ steps }, ctx) => {
      for (let i = 1; i <= steps; i++) {
        await ctx.reportProgress(i, steps);
        await sleep(1);
      }
      return `burst ${steps}`;
    });
    served = await serveHttp(mcp);
  });
  after(() => served.stop());

  test("the result reached the client's socket, which broke before the client read it", async () => {
    held = gate();
    const session = await legacySession(served.url);
    let progressId: string | undefined;
    const read = await callAndDrop(
      served.url,
      session,
      7,
      { name: "gated", arguments: {}, _meta: { progressToken: "g" } },
      (text) => {
        const events = eventsIn(text);
        if (progressId === undefined) {
          const progress = events.find((e) => e.data.includes("notifications/progress"));
          if (!progress) return undefined;
          // The client has read the progress update; now the server may send the result.
          progressId = progress.id;
          held.open();
          return undefined;
        }
        // The result is in: the server wrote it and ended the response. The client dies
        // before reading it, having read up to the progress update.
        if (!events.some((e) => e.data.includes('"result"'))) return undefined;
        return text.indexOf("notifications/progress");
      },
    );
    assert.ok(progressId, "the client read the progress update");
    assert.ok(!read.includes('"result"'), "the client did not read the result");
    const resumed = await resume(served.url, session, progressId);
    assert.equal(resumed.status, 200, `resuming after the progress update: ${resumed.text}`);
    assert.deepEqual(resumed.messages, [
      {
        jsonrpc: "2.0",
        id: 7,
        result: { content: [{ type: "text", text: "gated result" }] },
      },
    ]);
  });

  test("100 drops at random points of a stream: each resumed, every result exactly once", {
    timeout: 60_000,
  }, async () => {
    const steps = 4;
    const session = await legacySession(served.url);
    const params = { name: "burst", arguments: { steps }, _meta: { progressToken: "b" } };
    // One call read in full gives the stream's length, so cuts can fall anywhere in it.
    const whole = await callAndDrop(served.url, session, 1, params, () => undefined);
    const primingEnd = whole.indexOf("\n\n") + 2;
    assert.ok(eventsIn(whole)[0]?.data === "" && primingEnd > 2, "the stream starts primed");
    const seed = Number(process.env.RESUME_DROPS_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const lost: string[] = [];
    for (let round = 0; round < 100; round++) {
      const id = 100 + round;
      // After the priming event (the client needs an id to come back with), before the end.
      // Counted from this stream's own priming event: event ids grow a character as the
      // stream counter does, so the first stream's offsets drift by a byte later on.
      const offset = Math.floor(next() * (whole.length - primingEnd));
      let at = Number.POSITIVE_INFINITY;
      const read = await callAndDrop(served.url, session, id, params, (text) => {
        const primed = text.indexOf("\n\n");
        if (primed === -1) return undefined;
        at = primed + 2 + offset;
        return text.length >= at ? at : undefined;
      });
      const seen = eventsIn(read);
      const lastId = seen.at(-1)?.id;
      assert.ok(lastId, `round ${round} (seed ${seed}): the priming event was read`);
      const resumed = await resume(served.url, session, lastId);
      if (resumed.status !== 200) {
        lost.push(`round ${round}, cut at ${at}: ${resumed.status} ${resumed.text}`);
        continue;
      }
      const messages = [
        ...seen.filter((e) => e.data !== "").map((e) => JSON.parse(e.data) as Message),
        ...resumed.messages,
      ];
      const where = `round ${round} (seed ${seed}), cut at ${at} of ${whole.length}`;
      assert.deepEqual(
        messages
          .filter((m) => m.method === "notifications/progress")
          .map((m) => m.params?.progress),
        [1, 2, 3, 4],
        `${where}: every progress update once`,
      );
      const results = messages.filter((m) => m.result !== undefined);
      assert.equal(results.length, 1, `${where}: the result exactly once`);
      assert.equal(results[0]?.id, id, where);
      assert.equal(results[0]?.result?.content?.[0]?.text, `burst ${steps}`, where);
      assert.equal(messages.length, steps + 1, `${where}: nothing else`);
    }
    assert.deepEqual(lost, [], `seed ${seed}: results lost`);
  });
});

describe("finished streams are kept for the resume window, then forgotten", () => {
  test("a stream read in full is still resumable within resumeWindowMs, then gone", async () => {
    const store = new MemoryEventStore();
    const mcp = new FastMCP("Window", { http: { eventStore: store, resumeWindowMs: 150 } });
    mcp.tool("step", async (_args, ctx) => {
      await ctx.reportProgress(1, 1);
      return "stepped";
    });
    const served = await serveHttp(mcp);
    try {
      const session = await legacySession(served.url);
      const whole = await callAndDrop(
        served.url,
        session,
        3,
        { name: "step", arguments: {}, _meta: { progressToken: "s" } },
        () => undefined,
      );
      const progressId = eventsIn(whole).find((e) => e.data.includes("progress"))?.id as string;
      assert.ok(progressId);
      // The client may not have read the result, as far as the server can tell.
      const again = await resume(served.url, session, progressId);
      assert.equal(again.status, 200);
      assert.equal(again.messages.length, 1);
      assert.equal(again.messages[0]?.id, 3);
      const deadline = Date.now() + 3000;
      while (store.streamCount > 0 && Date.now() < deadline) await sleep(25);
      assert.equal(store.streamCount, 0, "the finished stream was dropped after the window");
      const late = await resume(served.url, session, progressId);
      assert.equal(late.status, 404);
    } finally {
      await served.stop();
    }
  });

  test("a store that can only delete is told to after the window, not at once", async () => {
    const inner = new MemoryEventStore();
    const deleted: { streamId: string; at: number }[] = [];
    // The official SDK's shape plus deleteStream: no finishStream.
    const store: EventStore = {
      storeEvent: (streamId, message) => inner.storeEvent(streamId, message),
      replayEventsAfter: (lastEventId, target) => inner.replayEventsAfter(lastEventId, target),
      deleteStream: async (streamId) => {
        deleted.push({ streamId, at: Date.now() });
        await inner.deleteStream(streamId);
      },
    };
    const mcp = new FastMCP("Window", { http: { eventStore: store, resumeWindowMs: 200 } });
    mcp.tool("step", async (_args, ctx) => {
      await ctx.reportProgress(1, 1);
      return "stepped";
    });
    const served = await serveHttp(mcp);
    try {
      const session = await legacySession(served.url);
      const whole = await callAndDrop(
        served.url,
        session,
        4,
        { name: "step", arguments: {}, _meta: { progressToken: "s" } },
        () => undefined,
      );
      const finished = Date.now();
      assert.ok(whole.includes('"result"'));
      assert.equal(deleted.length, 0, "kept for a resume at first");
      const deadline = Date.now() + 3000;
      while (deleted.length === 0 && Date.now() < deadline) await sleep(25);
      assert.equal(deleted.length, 1, "deleted once the window passed");
      assert.ok((deleted[0]?.at ?? 0) - finished >= 150, "not before the window");
    } finally {
      await served.stop();
    }
  });
});

describe("load does not accumulate events", () => {
  test("10,000 streamed calls in 100 sessions: held for the window, then the store is empty and the heap back", {
    timeout: 60_000,
  }, async () => {
    const windowMs = 2500;
    const store = new MemoryEventStore();
    const mcp = new FastMCP("Load", { http: { eventStore: store, resumeWindowMs: windowMs } });
    // A progress update first, so every answer is an SSE stream with stored events.
    mcp.tool("step", async (_args, ctx) => {
      await ctx.reportProgress(1, 1);
      return "stepped";
    });
    await mcp.start();
    const post = (body: unknown, session?: string) =>
      mcp.fetch(
        new Request("http://localhost/mcp", {
          method: "POST",
          headers:
            session === undefined
              ? LEGACY_HEADERS
              : { ...LEGACY_HEADERS, "mcp-session-id": session },
          body: JSON.stringify(body),
        }),
      );
    const sessions: string[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await post(initializeMessage("2025-11-25", i));
      await response.text();
      sessions.push(response.headers.get("mcp-session-id") as string);
    }
    const call = (i: number) =>
      post(
        {
          jsonrpc: "2.0",
          id: i,
          method: "tools/call",
          params: { name: "step", arguments: {}, _meta: { progressToken: i } },
        },
        sessions[i % sessions.length],
      );
    // Warm up, so code loaded on first use is not counted as stream memory. (Its 200 streams
    // are counted, and dropped with the rest: 2% of what the load holds.)
    for (let i = 0; i < 200; i++) await (await call(i)).text();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 500 }, (_, i) => call(batch * 500 + i)),
      );
      for (const response of responses) {
        assert.equal(response.headers.get("content-type"), "text/event-stream");
        await response.text();
      }
    }
    // Every stream was read in full, and each is still kept: the server cannot know it was read.
    const held = store.streamCount;
    assert.ok(held > 0, "finished streams are kept for the window");
    gc();
    const live = process.memoryUsage().heapUsed - before;
    const deadline = Date.now() + 3 * windowMs;
    while (store.streamCount > 0 && Date.now() < deadline) await sleep(50);
    assert.equal(store.streamCount, 0, "every finished stream was dropped after the window");
    // Two collections: what survives both is really held (see sessions.test.ts).
    gc();
    await sleep(50);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(
      grown < live / 2,
      `heap held ${live} bytes with ${held} finished streams and still ${grown} after the window`,
    );
    await mcp.close();
  });
});
