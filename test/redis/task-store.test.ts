/**
 * RedisTaskStore against a real redis-server: the TaskStore contract (the
 * same as the in-memory store's), plain JSON under a key whose TTL is the
 * task's, and updates from several processes that all land.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "@redis/client";
import { newTaskId, type TaskRecord } from "../../src/index.ts";
import { type RedisClientLike, type RedisState, redisState } from "../../src/redis/index.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";

let redis: RedisServer;
let raw: ReturnType<typeof createClient>;
const states: RedisState[] = [];
let prefixes = 0;

function state(prefix = `tasks${++prefixes}:`): RedisState {
  const made = redisState({ url: redis.url, prefix });
  states.push(made);
  return made;
}

function task(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const now = Date.now();
  return {
    taskId: newTaskId(),
    owner: "owner-digest",
    status: "working",
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 60_000,
    pollIntervalMs: 500,
    ...overrides,
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

describe("RedisTaskStore", () => {
  test("redisState() spreads a taskStore into the server's options", () => {
    const made = state();
    assert.deepEqual(Object.keys({ ...made }).sort(), [
      "bus",
      "eventStore",
      "sessionStore",
      "subscriptionStore",
      "taskStore",
    ]);
  });

  test("a created task is found at once, as plain JSON under a key that lives for its TTL", async () => {
    const { taskStore } = state("plain:");
    const t = task({ ttlMs: 30_000 });
    await taskStore.create(t);
    assert.deepEqual(await taskStore.get(t.taskId), t);
    const key = `plain:task:${t.taskId}`;
    assert.deepEqual(JSON.parse((await raw.get(key)) ?? ""), t);
    const pttl = await raw.pTTL(key);
    assert.ok(pttl > 25_000 && pttl <= 30_000, `PTTL ${pttl}`);
    await assert.rejects(taskStore.create(t), /exists already/);
  });

  test("update applies a change, removes keys set to undefined, stamps lastUpdatedAt, keeps the TTL", async () => {
    const { taskStore } = state("upd:");
    const t = task({ statusMessage: "starting", createdAt: Date.now() - 1000 });
    await taskStore.create(t);
    const updated = await taskStore.update(t.taskId, (current) => {
      assert.equal(current.statusMessage, "starting");
      return {
        status: "input_required",
        statusMessage: undefined,
        inputRequests: { "elicit-1": { method: "elicitation/create" } },
      };
    });
    assert.equal(updated?.status, "input_required");
    assert.equal("statusMessage" in (updated ?? {}), false);
    assert.ok((updated?.lastUpdatedAt ?? 0) >= t.lastUpdatedAt);
    assert.deepEqual(await taskStore.get(t.taskId), updated);
    assert.ok((await raw.pTTL(`upd:task:${t.taskId}`)) > 0, "the TTL survives the write");
    // A change that returns nothing writes nothing.
    const same = await taskStore.update(t.taskId, () => undefined);
    assert.deepEqual(same, updated);
  });

  test("a patch of only bookkeeping (lease, answers taken) keeps lastUpdatedAt", async () => {
    const { taskStore } = state("lease:");
    const t = task({ lastUpdatedAt: Date.now() - 5000, inputResponses: { "elicit-1": {} } });
    await taskStore.create(t);
    const renewed = await taskStore.update(t.taskId, () => ({
      leaseUntil: 123,
      inputResponses: undefined,
    }));
    assert.equal(renewed?.leaseUntil, 123);
    assert.equal(renewed?.inputResponses, undefined);
    assert.equal(renewed?.lastUpdatedAt, t.lastUpdatedAt);
    assert.deepEqual(await taskStore.get(t.taskId), renewed);
    const changed = await taskStore.update(t.taskId, () => ({ statusMessage: "on" }));
    assert.ok((changed?.lastUpdatedAt ?? 0) > t.lastUpdatedAt, "anything else is an update");
  });

  test("a terminal task never changes: the change is not even called", async () => {
    const { taskStore } = state();
    for (const status of ["completed", "failed", "cancelled"] as const) {
      const t = task({ status });
      await taskStore.create(t);
      const after = await taskStore.update(t.taskId, () => {
        throw new Error("must not be called");
      });
      assert.deepEqual(after, t);
    }
  });

  test("unknown and over-long ids are undefined, for get and update", async () => {
    const { taskStore } = state();
    assert.equal(await taskStore.get("nope"), undefined);
    assert.equal(await taskStore.get("x".repeat(10_000)), undefined);
    assert.equal(await taskStore.get(""), undefined);
    assert.equal(await taskStore.update("nope", () => ({ status: "failed" })), undefined);
  });

  test("Redis drops a task when its TTL is up", async () => {
    const { taskStore } = state();
    const t = task({ ttlMs: 50 });
    await taskStore.create(t);
    let found = await taskStore.get(t.taskId);
    for (let i = 0; i < 500 && found; i++) {
      await new Promise((r) => setTimeout(r, 10));
      found = await taskStore.get(t.taskId);
    }
    assert.equal(found, undefined);
    assert.equal(await taskStore.update(t.taskId, () => ({ statusMessage: "late" })), undefined);
  });

  test("concurrent updates from two processes' stores all land (compare-and-set, retried)", async () => {
    const a = state("race:").taskStore;
    const b = state("race:").taskStore;
    const t = task({ statusMessage: "0" });
    await a.create(t);
    const bump = (current: TaskRecord) => ({
      statusMessage: String(Number(current.statusMessage) + 1),
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).update(t.taskId, bump)));
    assert.equal((await a.get(t.taskId))?.statusMessage, "20");
  });

  test("the first terminal status wins a race; the later one is refused", async () => {
    const a = state("finish:").taskStore;
    const b = state("finish:").taskStore;
    const t = task();
    await a.create(t);
    await Promise.all([
      a.update(t.taskId, () => ({ status: "cancelled" })),
      b.update(t.taskId, () => ({ status: "completed", result: { content: [] } })),
    ]);
    const settled = await a.get(t.taskId);
    assert.ok(settled?.status === "cancelled" || settled?.status === "completed");
    const later = await b.update(t.taskId, () => ({ status: "failed" }));
    assert.equal(later?.status, settled?.status);
  });

  test("round trips: create 1 (SET), get 1 (GET), update 2 (GET, the script)", async () => {
    const real = createClient({ url: redis.url });
    await real.connect();
    const sent: string[][] = [];
    // The real client, with every command it is asked to send written down.
    const counting = new Proxy(real, {
      get(target, key) {
        if (key === "sendCommand")
          return (args: string[], options?: { timeout?: number }) => {
            sent.push(args);
            return target.sendCommand(args, options);
          };
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as unknown as RedisClientLike;
    const made = redisState({ client: counting, prefix: "rt:" });
    states.push(made);
    const t = task();
    await made.taskStore.create(t);
    await made.taskStore.update(t.taskId, () => ({ statusMessage: "warm" })); // loads the script
    sent.length = 0;
    await made.taskStore.create(task());
    assert.deepEqual(
      sent.map((c) => c[0]),
      ["SET"],
    );
    sent.length = 0;
    await made.taskStore.get(t.taskId);
    assert.deepEqual(
      sent.map((c) => c[0]),
      ["GET"],
    );
    sent.length = 0;
    await made.taskStore.update(t.taskId, () => ({ statusMessage: "again" }));
    assert.deepEqual(
      sent.map((c) => c[0]),
      ["GET", "EVALSHA"],
    );
    await made.close();
    await real.close();
  });

  test("ping answers while Redis does", async () => {
    await state().taskStore.ping();
  });
});
