/** Each Redis store against a real redis-server: what it keeps, for how long, and for whom. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "@redis/client";
import { type RedisState, redisState } from "../../src/redis/index.ts";
import type { SessionRecord } from "../../src/state/session.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let raw: ReturnType<typeof createClient>;
const states: RedisState[] = [];
let prefixes = 0;

/** A state of its own prefix (a fresh keyspace per test); `share` reuses another's prefix. */
function state(share?: string, extra: Partial<Parameters<typeof redisState>[0]> = {}): RedisState {
  const made = redisState({
    url: redis.url,
    prefix: share ?? `t${++prefixes}:`,
    sweepIntervalMs: 50,
    ...extra,
  });
  states.push(made);
  return made;
}

function record(id: string, idleTimeoutMs?: number): SessionRecord {
  return {
    id,
    protocolVersion: "2025-11-25",
    clientInfo: { name: "c", version: "1" },
    clientCapabilities: { elicitation: {} },
    logLevel: undefined,
    initialized: true,
    createdAt: 1,
    lastActiveAt: 1,
    idleTimeoutMs,
    state: { count: 3 },
  };
}

before(async () => {
  redis = await startRedis();
  raw = createClient({ url: redis.url });
  await raw.connect();
});

after(async () => {
  await Promise.all(states.map((s) => s.close()));
  await raw.close();
  await redis.stop();
});

describe("RedisSessionStore", () => {
  test("keeps the record as JSON, slides its time to live on every read, counts live sessions", async () => {
    const { sessionStore } = state("sessions:");
    await sessionStore.set(record("a", 400));
    await sessionStore.set(record("b", 60_000));
    assert.equal(await sessionStore.size(), 2);
    const read = await sessionStore.get("a");
    // JSON: what is undefined is absent, and reads the same.
    assert.deepEqual(
      { ...read, lastActiveAt: 0 },
      JSON.parse(JSON.stringify({ ...record("a", 400), lastActiveAt: 0 })),
    );
    assert.ok(Math.abs((read?.lastActiveAt ?? 0) - Date.now()) < 1000);
    // Read every 250 ms, it outlives its 400 ms timeout several times over.
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      assert.ok(await sessionStore.get("a"), `alive after ${(i + 1) * 250} ms of reads`);
    }
    const ttl = Number(await raw.sendCommand(["PTTL", "sessions:session:a"]));
    assert.ok(ttl > 0 && ttl <= 400, `time to live ${ttl}`);
    // Left alone, it ends; size() no longer counts it even before a sweep.
    await sleep(550);
    assert.equal(await sessionStore.get("a"), undefined);
    assert.equal(await sessionStore.size(), 1);
    assert.equal(await sessionStore.delete("b"), true);
    assert.equal(await sessionStore.delete("b"), false);
    assert.equal(await sessionStore.size(), 0);
  });

  test("a session without an idle timeout lives sessionTtlMs", async () => {
    const { sessionStore } = state(undefined, { url: redis.url, sessionTtlMs: 300 });
    await sessionStore.set(record("stdio"));
    assert.ok(await sessionStore.get("stdio"));
    await sleep(450);
    assert.equal(await sessionStore.get("stdio"), undefined);
  });

  test("every process hears each expiry once, whichever swept it", async () => {
    const one = state("expiry:");
    const two = state("expiry:");
    const heard: string[] = [];
    one.sessionStore.onExpire((id) => heard.push(`one:${id}`));
    two.sessionStore.onExpire((id) => heard.push(`two:${id}`));
    await one.sessionStore.set(record("x", 100));
    await one.sessionStore.set(record("kept", 60_000));
    await sleep(400);
    assert.deepEqual(heard.sort(), ["one:x", "two:x"]);
    // Claimed: nobody announces it again.
    assert.equal(await one.sessionStore.sweep(), 0);
    assert.equal(await two.sessionStore.sweep(), 0);
    assert.equal(Number(await raw.sendCommand(["ZCARD", "expiry:sessions"])), 1);
  });
  test("a delete is announced to the other processes, not back to the one deleting", async () => {
    const one = state("deleted:");
    const two = state("deleted:");
    const heard: string[] = [];
    one.sessionStore.onExpire((id) => heard.push(`one:${id}`));
    two.sessionStore.onExpire((id) => heard.push(`two:${id}`));
    for (let tries = 0; tries < 100; tries++) {
      const [, count] = (await raw.sendCommand(["PUBSUB", "NUMSUB", "deleted:sessions:ended"])) as [
        string,
        number,
      ];
      if (count === 2) break;
      await sleep(20);
    }
    await one.sessionStore.set(record("d", 60_000));
    await two.sessionStore.set(record("e", 60_000));
    assert.equal(await one.sessionStore.delete("d"), true);
    // A session that is not there is not announced.
    assert.equal(await one.sessionStore.delete("never"), false);
    assert.equal(await two.sessionStore.delete("e"), true);
    // One channel, in Redis's order: once "e" reached one, "d" would have too.
    for (let tries = 0; tries < 100 && heard.length < 2; tries++) await sleep(20);
    for (let tries = 0; tries < 100 && !heard.includes("one:e"); tries++) await sleep(20);
    assert.deepEqual(heard.sort(), ["one:e", "two:d"]);
  });
});

describe("RedisSubscriptionStore", () => {
  test("links sessions and URIs both ways, and clears a session's links", async () => {
    const { subscriptionStore: subs } = state();
    await subs.add("s1", "file:///a");
    await subs.add("s1", "file:///b");
    await subs.add("s2", "file:///a");
    assert.deepEqual([...(await subs.sessions("file:///a"))].sort(), ["s1", "s2"]);
    assert.equal(await subs.remove("s2", "file:///a"), true);
    assert.equal(await subs.remove("s2", "file:///a"), false);
    assert.deepEqual(await subs.sessions("file:///a"), ["s1"]);
    await subs.clear("s1");
    assert.deepEqual(await subs.sessions("file:///a"), []);
    assert.deepEqual(await subs.sessions("file:///b"), []);
  });
});

describe("RedisEventStore", () => {
  test("replays after an event id, exclusive, in order, from another process", async () => {
    const one = state("events1:").eventStore;
    const two = state("events1:").eventStore;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await one.storeEvent("sess-s1", { n: i }));
    await one.storeEvent("sess-s2", { other: true });
    assert.ok(ids.every((id) => id.startsWith("sess-s1.")));
    assert.equal(await two.getStreamIdForEventId(ids[1] ?? ""), "sess-s1");
    assert.equal(await two.getStreamIdForEventId("sess-s9.1-0"), undefined);
    assert.equal(await two.getStreamIdForEventId("garbage"), undefined);
    const got: [string, object][] = [];
    const stream = await two.replayEventsAfter(ids[1] ?? "", {
      send: async (id, message) => {
        got.push([id, message]);
      },
    });
    assert.equal(stream, "sess-s1");
    assert.deepEqual(got, [
      [ids[2], { n: 2 }],
      [ids[3], { n: 3 }],
      [ids[4], { n: 4 }],
    ]);
    await assert.rejects(
      two.replayEventsAfter("sess-gone.1-0", { send: async () => {} }),
      /Unknown event id/,
    );
  });

  test("bounds streams in length and time; a finished stream keeps its shorter window", async () => {
    const { eventStore } = state("events2:", { maxEventsPerStream: 10, eventRetentionMs: 5000 });
    let first = "";
    for (let i = 0; i < 1000; i++) {
      const id = await eventStore.storeEvent("s-long", { i });
      if (i === 0) first = id;
    }
    const length = Number(await raw.sendCommand(["XLEN", "events2:events:s-long"]));
    // MAXLEN ~ trims whole nodes (100 entries each by default): roughly, never unbounded.
    assert.ok(length >= 10 && length <= 200, `length ${length}`);
    const ttl = Number(await raw.sendCommand(["PTTL", "events2:events:s-long"]));
    assert.ok(ttl > 4000 && ttl <= 5000, `ttl ${ttl}`);
    let replayed = 0;
    await eventStore.replayEventsAfter(first, {
      send: async () => {
        replayed += 1;
      },
    });
    assert.equal(replayed, length, "what is left after the first is replayed");

    const last = await eventStore.storeEvent("s-short", { done: true });
    await eventStore.finishStream("s-short", 300);
    const finishedTtl = Number(await raw.sendCommand(["PTTL", "events2:events:s-short"]));
    assert.ok(finishedTtl > 0 && finishedTtl <= 300, `finished ttl ${finishedTtl}`);
    await sleep(200);
    // A replay counts as use: the window starts again, and the marker is not sent.
    const sent: object[] = [];
    await eventStore.replayEventsAfter(`${last.split(".")[0]}.0-0`, {
      send: async (_id, message) => {
        sent.push(message);
      },
    });
    assert.deepEqual(sent, [{ done: true }]);
    const renewed = Number(await raw.sendCommand(["PTTL", "events2:events:s-short"]));
    assert.ok(renewed > 200, `renewed ttl ${renewed}`);
    await sleep(400);
    assert.equal(await eventStore.getStreamIdForEventId(last), undefined);
    // Finishing a stream that does not exist makes nothing.
    await eventStore.finishStream("s-none", 300);
    assert.equal(Number(await raw.sendCommand(["EXISTS", "events2:events:s-none"])), 0);
  });

  test("deleteSessionStreams forgets every stream of that session only", async () => {
    const { eventStore } = state("events3:");
    const a = await eventStore.storeEvent("abc-1", { a: 1 });
    const b = await eventStore.storeEvent("abc-g", { b: 1 });
    const c = await eventStore.storeEvent("xyz-1", { c: 1 });
    await eventStore.deleteSessionStreams("abc");
    assert.equal(await eventStore.getStreamIdForEventId(a), undefined);
    assert.equal(await eventStore.getStreamIdForEventId(b), undefined);
    assert.equal(await eventStore.getStreamIdForEventId(c), "xyz-1");
  });
});

describe("RedisBus", () => {
  test("carries JSON between processes in order, one SUBSCRIBE per topic however many listen", async () => {
    const reported: string[] = [];
    const one = state("bus1:").bus;
    const two = state("bus1:", { onError: (message) => reported.push(message) }).bus;
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = await two.subscribe("t", (m) => a.push(m));
    const stopB = await two.subscribe("t", (m) => {
      b.push(m);
      if (b.length === 1) throw new Error("a failing listener");
    });
    assert.deepEqual(await raw.sendCommand(["PUBSUB", "NUMSUB", "bus1:bus:t"]), ["bus1:bus:t", 1]);
    for (let i = 0; i < 500; i++) void one.publish("t", { i });
    await one.publish("t", { last: true });
    await sleep(100);
    assert.equal(a.length, 501);
    assert.deepEqual(
      a.slice(0, 500),
      Array.from({ length: 500 }, (_, i) => ({ i })),
    );
    assert.equal(b.length, 501, "the other listener goes on after one throws");
    assert.deepEqual(reported, ["A listener of t failed"]);
    await stopA();
    await one.publish("t", { after: "a" });
    await sleep(50);
    assert.equal(a.length, 501);
    assert.equal(b.length, 502);
    await stopB();
    assert.deepEqual(await raw.sendCommand(["PUBSUB", "NUMSUB", "bus1:bus:t"]), ["bus1:bus:t", 0]);
  });
});
