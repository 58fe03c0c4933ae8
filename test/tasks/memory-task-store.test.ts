/**
 * The in-memory task store: terminal states never change, tasks expire after
 * their TTL (not before), and the bound evicts finished tasks, never running ones.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { MemoryTaskStore, newTaskId, type TaskRecord, TaskStoreFull } from "../../src/index.ts";

beforeEach(() => mock.timers.enable({ apis: ["Date"], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

function task(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const now = Date.now();
  return {
    taskId: newTaskId(),
    owner: "o",
    status: "working",
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 1000,
    pollIntervalMs: 100,
    ...overrides,
  };
}

test("ids are 128 random bits, base64url", () => {
  const ids = new Set(Array.from({ length: 100 }, newTaskId));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test("a created task is found at once; the store hands out copies", async () => {
  const store = new MemoryTaskStore();
  const t = task();
  await store.create(t);
  const got = await store.get(t.taskId);
  assert.deepEqual(got, t);
  (got as TaskRecord).status = "failed";
  assert.equal((await store.get(t.taskId))?.status, "working");
});

test("update applies a change, removes keys set to undefined, and stamps lastUpdatedAt", async () => {
  const store = new MemoryTaskStore();
  const t = task({ statusMessage: "starting" });
  await store.create(t);
  mock.timers.tick(10);
  const updated = await store.update(t.taskId, () => ({
    status: "input_required",
    statusMessage: undefined,
    inputRequests: { "elicit-1": { method: "elicitation/create" } },
  }));
  assert.equal(updated?.status, "input_required");
  assert.equal("statusMessage" in (updated as TaskRecord), false);
  assert.equal(updated?.lastUpdatedAt, t.createdAt + 10);
});

test("a terminal task never changes", async () => {
  const store = new MemoryTaskStore();
  const t = task();
  await store.create(t);
  await store.update(t.taskId, () => ({ status: "cancelled" }));
  let called = false;
  const after = await store.update(t.taskId, () => {
    called = true;
    return { status: "completed", result: { content: [] } };
  });
  assert.equal(called, false);
  assert.equal(after?.status, "cancelled");
  assert.equal(after?.result, undefined);
});

test("a task stays for its whole TTL and is gone after it", async () => {
  const store = new MemoryTaskStore();
  const t = task({ ttlMs: 1000 });
  await store.create(t);
  mock.timers.tick(999);
  assert.ok(await store.get(t.taskId));
  mock.timers.tick(1);
  assert.equal(await store.get(t.taskId), undefined);
  assert.equal(await store.update(t.taskId, () => ({ status: "completed" })), undefined);
  assert.equal(store.size, 0);
});

test("bounded: a full store drops expired, then the oldest finished task, never a running one", async () => {
  const store = new MemoryTaskStore({ maxTasks: 2 });
  const a = task({ ttlMs: 10 });
  const b = task({ ttlMs: 10_000 });
  await store.create(a);
  await store.create(b);
  mock.timers.tick(10);
  const c = task({ ttlMs: 10_000 });
  await store.create(c); // a expired: room
  assert.equal(await store.get(a.taskId), undefined);
  await store.update(c.taskId, () => ({ status: "completed", result: { content: [] } }));
  const d = task({ ttlMs: 10_000 });
  await store.create(d); // c finished: evicted, b still running stays
  assert.ok(await store.get(b.taskId));
  assert.equal(await store.get(c.taskId), undefined);
  await assert.rejects(store.create(task()), TaskStoreFull);
});

test("a patch of only bookkeeping (lease, answers taken) keeps lastUpdatedAt", async () => {
  const store = new MemoryTaskStore();
  const t = task({ inputResponses: { "elicit-1": {} } });
  await store.create(t);
  mock.timers.tick(500);
  const renewed = await store.update(t.taskId, () => ({
    leaseUntil: Date.now() + 100,
    inputResponses: undefined,
  }));
  assert.equal(renewed?.leaseUntil, 1_000_600);
  assert.equal(renewed?.inputResponses, undefined);
  assert.equal(renewed?.lastUpdatedAt, t.lastUpdatedAt);
  const changed = await store.update(t.taskId, () => ({ statusMessage: "on" }));
  assert.equal(changed?.lastUpdatedAt, 1_000_500, "anything else is an update");
});
