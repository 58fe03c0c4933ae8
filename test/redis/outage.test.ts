/**
 * Redis going away and coming back: every call fails at once with an error
 * that says so (nothing waits in a queue), readiness says so, and service,
 * pub/sub subscriptions included, returns by itself.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createClient } from "@redis/client";
import { type RedisState, RedisUnavailableError, redisState } from "../../src/redis/index.ts";
import { freePort, type RedisServer, startRedis } from "../helpers/redis-server.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const states: RedisState[] = [];
const servers: RedisServer[] = [];

after(async () => {
  await Promise.all(states.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(25);
  }
}

test("down: every store fails fast and clearly; back: full service, subscriptions included", async () => {
  const redis = await startRedis();
  servers.push(redis);
  const one = redisState({ url: redis.url, prefix: "o:" });
  const two = redisState({ url: redis.url, prefix: "o:" });
  states.push(one, two);
  const heard: unknown[] = [];
  await two.bus.subscribe("topic", (m) => heard.push(m));
  await one.sessionStore.size();
  await one.ping();

  await redis.stop();
  await sleep(50);
  const where = new RegExp(`Redis at 127\\.0\\.0\\.1:${redis.port} is unavailable`);
  const calls: [string, () => Promise<unknown>][] = [
    ["get", () => one.sessionStore.get("s")],
    ["size", () => one.sessionStore.size()],
    ["subscribe", () => one.subscriptionStore.add("s", "u")],
    ["storeEvent", () => one.eventStore.storeEvent("s-1", {})],
    ["publish", () => one.bus.publish("topic", { lost: true })],
    ["bus.subscribe", () => one.bus.subscribe("other", () => {})],
    ["ping", () => one.ping()],
    ["store ping", () => one.sessionStore.ping()],
  ];
  for (const [name, call] of calls) {
    const { ms, error } = await timed(call);
    assert.ok(error instanceof RedisUnavailableError, `${name}: ${String(error)}`);
    assert.match(error.message, where, name);
    assert.ok(ms < 100, `${name} took ${ms} ms`);
  }

  await redis.start();
  await until(async () => (await timed(() => one.ping())).error === undefined, 5000);
  await until(async () => (await timed(() => two.ping())).error === undefined, 5000);
  await one.sessionStore.size();
  // The subscriber subscribed again by itself: a message published now arrives.
  await one.bus.publish("topic", { after: true });
  await until(async () => heard.length > 0, 2000);
  assert.deepEqual(heard, [{ after: true }]);
});

test("Redis down at start: the first call waits connectTimeoutMs at most, later ones not at all; then it connects", async () => {
  const port = await freePort();
  const state = redisState({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 });
  states.push(state);
  const first = await timed(() => state.sessionStore.size());
  assert.ok(first.error instanceof RedisUnavailableError, String(first.error));
  assert.match(first.error.message, /ECONNREFUSED/);
  assert.ok(first.ms >= 250 && first.ms < 1000, `first call ${first.ms} ms`);
  const second = await timed(() => state.sessionStore.size());
  assert.ok(second.error instanceof RedisUnavailableError);
  assert.ok(second.ms < 50, `second call ${second.ms} ms`);
});

test("options: unknown keys are named, url or client is required, a client of one's own stays open", async () => {
  assert.throws(
    () => redisState({ url: "redis://x", keyPrefix: "a:" } as never),
    /redisState\(\): unknown option "keyPrefix"; did you mean "prefix"\?/,
  );
  assert.throws(() => redisState({}), /give either url .* or client/);
  assert.throws(() => redisState({ url: "http://x" }), /url must start with redis:\/\//);
  assert.throws(() => redisState({ url: "redis://x", commandTimeoutMs: 0 }), /commandTimeoutMs/);

  const redis = await startRedis();
  servers.push(redis);
  const client = createClient({ url: redis.url });
  await client.connect();
  // A node-redis client is a RedisClientLike as it is: no cast.
  const state = redisState({ client, prefix: "own:" });
  await state.sessionStore.size();
  await state.close();
  assert.equal(client.isReady, true, "close() leaves a given client open");
  await client.close();
});
