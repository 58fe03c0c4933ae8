/**
 * A session's streams can be resumed only within the session (GET with
 * Last-Event-ID names it), so when the session ends, by DELETE, by idle
 * expiry or by the server, the event store lets go of them at once rather
 * than after the resume window.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP, MemoryEventStore } from "../../src/index.ts";
import { LEGACY_HEADERS, legacySession, postCall, serveHttp } from "../helpers/http.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stream ids the store holds for a session, found through the event ids it made. */
async function heldFor(store: MemoryEventStore, eventIds: string[]): Promise<number> {
  let held = 0;
  for (const id of eventIds) if ((await store.getStreamIdForEventId(id)) !== undefined) held++;
  return held;
}

/** Two streamed calls and the session's GET stream, read in full: three streams in the store. */
async function useSession(url: string, session: string): Promise<string[]> {
  const ids: string[] = [];
  for (const id of [2, 3]) {
    const response = await postCall(
      url,
      session,
      { name: "step", _meta: { progressToken: id } },
      undefined,
      id,
    );
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const text = await response.text();
    ids.push(...[...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1] as string));
  }
  const controller = new AbortController();
  const get = await fetch(url, {
    headers: { accept: "text/event-stream", "mcp-session-id": session },
    signal: controller.signal,
  });
  const reader = (get.body as ReadableStream<Uint8Array>).getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  ids.push(...[...first.matchAll(/^id: (.+)$/gm)].map((match) => match[1] as string));
  controller.abort();
  return ids;
}

test("when a session ends (DELETE, idle expiry, endSession) its streams leave the event store at once", async () => {
  const store = new MemoryEventStore();
  // A window far longer than the test: only the session's end can release the streams.
  const mcp = new FastMCP("Ends", {
    http: { eventStore: store, resumeWindowMs: 60_000, sessionIdleTimeoutMs: 2000 },
  });
  mcp.tool("step", async (_args, ctx) => {
    await ctx.reportProgress(1, 1);
    return "stepped";
  });
  const served = await serveHttp(mcp);
  try {
    // Each session is used as soon as it opens: on a loaded machine, opening
    // all four first could let the idle timeout end one before it is used.
    const ids = new Map<string, string[]>();
    const opened: string[] = [];
    for (let i = 0; i < 4; i++) {
      const session = await legacySession(served.url);
      ids.set(session, await useSession(served.url, session));
      opened.push(session);
    }
    const [deleted, expired, ended, alive] = opened as [string, string, string, string];
    for (const [session, eventIds] of ids) {
      assert.equal(
        eventIds.length,
        7,
        "two calls' ids (priming, progress, result) and the GET's priming id",
      );
      assert.equal(await heldFor(store, eventIds), 7, `${session}: kept for a resume`);
    }

    const response = await fetch(served.url, {
      method: "DELETE",
      headers: { ...LEGACY_HEADERS, "mcp-session-id": deleted },
    });
    assert.equal(response.status, 200);
    assert.equal(await heldFor(store, ids.get(deleted) ?? []), 0, "DELETE released them");

    await mcp.endSession(ended);
    assert.equal(await heldFor(store, ids.get(ended) ?? []), 0, "endSession released them");

    // Keep `alive` in use while `expired` idles past its timeout.
    const deadline = Date.now() + 20_000;
    while ((await heldFor(store, ids.get(expired) ?? [])) > 0 && Date.now() < deadline) {
      const ping = await fetch(served.url, {
        method: "POST",
        headers: { ...LEGACY_HEADERS, "mcp-session-id": alive },
        body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" }),
      });
      assert.equal(ping.status, 200);
      await ping.text();
      await sleep(100);
    }
    assert.equal(await heldFor(store, ids.get(expired) ?? []), 0, "expiry released them");
    assert.equal(await heldFor(store, ids.get(alive) ?? []), 7, "a live session's streams stay");
    assert.equal(store.streamCount, 3);
  } finally {
    await served.stop();
  }
});
