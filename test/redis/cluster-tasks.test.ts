/**
 * Tasks outliving the process that ran them, with a real redis-server and
 * real processes (test/fixtures/redis/server.ts, short leases): the owner
 * killed with SIGKILL leaves its task `working` only until its lease runs
 * out, then the next poll on another process answers `failed`, with a
 * status message (two processes polling at once agree on one failure); the
 * owner stopped with SIGTERM fails its task itself as it shuts down.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Served, startServer, stopServers } from "../helpers/redis-cluster.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { TasksClient, type WireTask } from "../helpers/tasks-client.ts";

const ENV = { TASK_LEASE_MS: "400", SHUTDOWN_TIMEOUT_MS: "300" };
let redis: RedisServer;
let servers: Served[] = [];

before(async () => {
  redis = await startRedis();
  servers = await Promise.all(
    ["p0", "p1", "p2"].map((label) => startServer(redis.url, label, ENV)),
  );
});
after(async () => {
  await stopServers(servers);
  await redis?.stop();
});

function exited(server: Served): Promise<unknown> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", resolve));
}

test("kill -9 the process running a task: the next poll after its lease, on another process, answers failed", async () => {
  const [owner, p1, p2] = servers as [Served, Served, Served];
  const onOwner = new TasksClient(owner.url);
  const onP1 = new TasksClient(p1.url);
  const onP2 = new TasksClient(p2.url);
  const { taskId } = await onOwner.start("hold_task");
  const holding = await onP1.until(taskId, (t) => t.statusMessage === "holding on p0");
  assert.equal(holding.status, "working");

  const gone = exited(owner);
  owner.child.kill("SIGKILL");
  await gone;

  // Two processes poll at once until the task is no longer working: they see one failure.
  const notWorking = (t: WireTask) => t.status !== "working";
  const [seen1, seen2] = await Promise.all([
    onP1.until(taskId, notWorking),
    onP2.until(taskId, notWorking),
  ]);
  assert.equal(seen1.status, "failed");
  assert.equal(seen1.statusMessage, "The server running this task stopped before it finished");
  assert.deepEqual(seen1.error, { code: -32603, message: "The server running the task stopped" });
  const final = (await onP1.get(taskId)).result;
  assert.deepEqual(final, seen1, "final: a later poll answers the same");
  assert.deepEqual((await onP2.get(taskId)).result, final, "the other process agrees");
  assert.equal(seen2.status, "failed");
  assert.equal(seen2.lastUpdatedAt, final?.lastUpdatedAt, "failed once, not twice");
});

test("SIGTERM to the process running a task: it fails the task as it shuts down, with a status message", async () => {
  const owner = servers[1] as Served;
  const onOwner = new TasksClient(owner.url);
  const onP2 = new TasksClient((servers[2] as Served).url);
  const { taskId } = await onOwner.start("hold_task");
  await onP2.until(taskId, (t) => t.statusMessage === "holding on p1");
  await stopServers([owner]);
  assert.equal(owner.child.exitCode, 0, owner.stderr);
  // Stored before the process exited: the first poll after it already says so.
  const after = (await onP2.get(taskId)).result;
  assert.equal(after?.status, "failed");
  assert.equal(after?.statusMessage, "The server shut down before the task finished");
  assert.deepEqual(after?.error, { code: -32603, message: "The server shut down" });
});
