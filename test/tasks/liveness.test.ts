/**
 * Liveness of tasks across two server instances sharing a task store and a
 * bus, over HTTP on loopback: the instance running a task renews its lease;
 * when it can no longer reach the store (as when its process died), the
 * other instance's next read after the lease ran out fails the task with a
 * status message, and the first instance, back, stops the orphaned work.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  FastMCP,
  type Logger,
  MemoryBus,
  MemoryTaskStore,
  type TaskChange,
  type TaskRecord,
  type TaskStore,
} from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

const LEASE_MS = 300;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The shared store as one instance reaches it: cut off, every call fails, as for a dead process. */
class Severable implements TaskStore {
  cut = false;
  constructor(readonly inner: TaskStore) {}
  #check(): void {
    if (this.cut) throw new Error("this instance is cut off from the store");
  }
  async create(record: TaskRecord): Promise<void> {
    this.#check();
    return this.inner.create(record);
  }
  async get(taskId: string): Promise<TaskRecord | undefined> {
    this.#check();
    return this.inner.get(taskId);
  }
  async update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    this.#check();
    return this.inner.update(taskId, change);
  }
}

const shared = new MemoryTaskStore();
const bus = new MemoryBus();
const runnerStore = new Severable(shared);
let runner: Served;
let other: Served;
/** Told why a `hold` handler's signal aborted. */
let abortedWith: (reason: unknown) => void = () => {};

function instance(taskStore: TaskStore): FastMCP {
  const mcp = new FastMCP("Liveness", {
    taskStore,
    bus,
    logger: quiet,
    tasks: { leaseMs: LEASE_MS, pollIntervalMs: 20 },
  });
  mcp.tool("hold", { task: "required" }, async (_args, ctx) => {
    await ctx.reportProgress(0, 1, "holding");
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    abortedWith(ctx.signal.reason);
    return "let go";
  });
  return mcp;
}

before(async () => {
  runner = await serveHttp(instance(runnerStore));
  other = await serveHttp(instance(shared));
});
after(async () => {
  await runner.stop();
  await other.stop();
});

test("a task whose process renews its lease stays working past many leases; renewals leave lastUpdatedAt", async () => {
  const onRunner = new TasksClient(runner.url);
  const onOther = new TasksClient(other.url);
  const { taskId } = await onRunner.start("hold");
  const holding = await onOther.until(taskId, (t) => t.statusMessage === "holding");
  const first = (await shared.get(taskId))?.leaseUntil ?? 0;
  assert.ok(first > 0, "the task has a lease");
  // Polled from the other instance until the lease has been renewed three leases' worth.
  let renewed = first;
  for (let polls = 0; renewed < first + 3 * LEASE_MS && polls < 2000; polls++) {
    const seen = await onOther.get(taskId);
    assert.equal(seen.result?.status, "working", "a live task is never failed");
    assert.equal(seen.result?.lastUpdatedAt, holding.lastUpdatedAt, "a renewal is not an update");
    renewed = (await shared.get(taskId))?.leaseUntil ?? 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(renewed >= first + 3 * LEASE_MS, "the lease was renewed");
  await onRunner.cancel(taskId);
});

test("cut off from the store, its task is failed by the next read after the lease: status message and error", async () => {
  const onRunner = new TasksClient(runner.url);
  const onOther = new TasksClient(other.url);
  const orphanAborted = new Promise<unknown>((resolve) => {
    abortedWith = resolve;
  });
  const { taskId } = await onRunner.start("hold");
  await onOther.until(taskId, (t) => t.statusMessage === "holding");
  runnerStore.cut = true;
  const failed = await onOther.until(taskId, (t) => t.status !== "working");
  assert.equal(failed.status, "failed");
  assert.equal(failed.statusMessage, "The server running this task stopped before it finished");
  assert.deepEqual(failed.error, {
    code: -32603,
    message: "The server running the task stopped",
  });
  // Final: a later read answers the same.
  assert.deepEqual((await onOther.get(taskId)).result, failed);

  // Back in touch, the first instance's next renewal finds the task failed and stops the work.
  runnerStore.cut = false;
  const reason = await orphanAborted;
  assert.ok(reason instanceof Error);
  assert.equal(reason.message, "The server running this task stopped before it finished");
  assert.equal((await onRunner.get(taskId)).result?.status, "failed");
});
