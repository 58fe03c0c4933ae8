/**
 * The in-memory event store's bounds in time, on mocked timers: what it keeps
 * is (rate × window), not up to twice that, and a session's streams go with
 * the session.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { MemoryEventStore } from "../../src/index.ts";

// The store reads Date.now() and sweeps on setInterval: both mocked (Date since Node 20.11).
beforeEach(() => mock.timers.enable({ apis: ["setInterval", "Date"], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

test("a finished stream is gone one sweep (a quarter of its window) after the window", async () => {
  const store = new MemoryEventStore();
  await store.storeEvent("s-1", { n: 1 });
  await store.finishStream("s-1", 1000);
  // Finished a little after the sweep began: with a sweep as slow as the window, it
  // waited for the second sweep, and streams were held for up to twice the window.
  mock.timers.tick(100);
  await store.storeEvent("s-2", { n: 1 });
  await store.finishStream("s-2", 1000);
  mock.timers.tick(900);
  assert.equal(store.streamCount, 2, "both kept for the window");
  mock.timers.tick(1000 * 0.25 + 100 + 1);
  assert.equal(store.streamCount, 0, "both gone within the window and one sweep");
});

test("under a steady rate the store holds about rate × window, not twice that", async () => {
  const store = new MemoryEventStore();
  let most = 0;
  // 10 streams finished every 10 ms for 5 windows of 1 s: 1,000 per window.
  for (let i = 0; i < 500; i++) {
    for (let j = 0; j < 10; j++) {
      const id = `s-${i}x${j}`;
      await store.storeEvent(id, { n: 1 });
      await store.finishStream(id, 1000);
    }
    mock.timers.tick(10);
    most = Math.max(most, store.streamCount);
  }
  assert.ok(most <= 1000 * 1.25 + 10, `held at most ${most} streams`);
});

test("deleteSessionStreams forgets every stream of the session, and only those", async () => {
  const store = new MemoryEventStore();
  const a = "0123456789abcdef0123456789abcdef";
  const b = "fedcba9876543210fedcba9876543210";
  const kept = await store.storeEvent(`${b}-tag1`, { n: 1 });
  const ids = [];
  for (const suffix of ["tag1", "tag2", "tag3", "g"])
    ids.push(await store.storeEvent(`${a}-${suffix}`, { n: 1 }));
  await store.finishStream(`${a}-tag2`, 30_000);
  await store.deleteStream(`${a}-tag3`);
  await store.storeEvent("unrelated", { n: 1 });
  assert.equal(store.streamCount, 5);
  await store.deleteSessionStreams(a);
  assert.equal(store.streamCount, 2);
  for (const id of ids) assert.equal(await store.getStreamIdForEventId(id), undefined);
  assert.equal(await store.getStreamIdForEventId(kept), `${b}-tag1`);
  // The session's group is gone too: a stream stored afterwards starts a new one.
  await store.storeEvent(`${a}-tag4`, { n: 1 });
  await store.deleteSessionStreams(a);
  await store.deleteSessionStreams(a);
  assert.equal(store.streamCount, 2);
  // Streams the sweep forgot leave nothing behind in their session's group.
  await store.finishStream(`${b}-tag1`, 1000);
  mock.timers.tick(2000);
  assert.equal(store.streamCount, 1);
  await store.deleteSessionStreams(b);
  assert.equal(store.streamCount, 1);
});
