/**
 * Tasks in Redis when the bus loses a message, with a real redis-server: the
 * pub/sub connection of the instance running a task is killed and kept from
 * coming back (maxclients), so a tasks/cancel or tasks/update published
 * meanwhile reaches nobody; the instance still stops the work, or hands the
 * answer to the waiting ask, at its next lease renewal, from the store. And after an empty Redis restart the task is gone: the
 * running instance stops the work nobody can read.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient } from "@redis/client";
import { type RedisClientLike, type RedisState, redisState } from "../../src/redis/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { lostMessagesServer } from "../helpers/lost-messages.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let redis: RedisServer;
let admin: ReturnType<typeof createClient>;
let runnerClient: ReturnType<typeof createClient>;
const states: RedisState[] = [];
let runner: Served;
let other: Served;
let abortedWith: (reason: unknown) => void = () => {};

function instance(state: RedisState): Promise<Served> {
  return serveHttp(lostMessagesServer(state, (reason) => abortedWith(reason)));
}

before(async () => {
  redis = await startRedis();
  admin = createClient({ url: redis.url });
  admin.on("error", () => {}); // the restart below drops it; it reconnects
  await admin.connect();
  // Named, so the test can find its pub/sub connection (a duplicate keeps the name).
  runnerClient = createClient({
    url: redis.url,
    name: "runner",
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  const runnerState = redisState({
    client: runnerClient as unknown as RedisClientLike,
    prefix: "lost:",
  });
  const otherState = redisState({ url: redis.url, prefix: "lost:" });
  states.push(runnerState, otherState);
  runner = await instance(runnerState);
  other = await instance(otherState);
});
// Bounded: a shutdown stuck on a reconnecting client fails here instead of hanging the run.
after(
  async () => {
    await runner.stop();
    await other.stop();
    await Promise.all(states.map((s) => s.close()));
    await runnerClient.close().catch(() => runnerClient.destroy());
    await admin.close();
    await redis.stop();
  },
  { timeout: 20_000 },
);

async function clients(): Promise<{ lines: string[]; subscriber: string | undefined }> {
  const lines = String(await admin.sendCommand(["CLIENT", "LIST"]))
    .split("\n")
    .filter((line) => line.startsWith("id="));
  const subscriber = lines.find((line) => / name=runner /.test(line) && / flags=\S*P/.test(line));
  return { lines, subscriber };
}

/** Kills the runner's pub/sub connection and keeps it from reconnecting; returns what lets it back. */
async function cutRunnerSubscriber(): Promise<() => Promise<void>> {
  const { lines, subscriber } = await clients();
  assert.ok(subscriber, `the runner's pub/sub connection, in:\n${lines.join("\n")}`);
  const id = /^id=(\d+)/.exec(subscriber)?.[1] as string;
  const reply = await admin.sendCommand(["CONFIG", "GET", "maxclients"]);
  // RESP3 answers a map, RESP2 a flat array.
  const max = String(
    Array.isArray(reply) ? reply[1] : (reply as unknown as Record<string, unknown>).maxclients,
  );
  await admin.sendCommand(["CONFIG", "SET", "maxclients", String(lines.length - 1)]);
  await admin.sendCommand(["CLIENT", "KILL", "ID", id]);
  return async () => {
    await admin.sendCommand(["CONFIG", "SET", "maxclients", max]);
    // Back once node-redis has reconnected it (its retries are at most a second apart).
    for (let i = 0; i < 200 && (await clients()).subscriber === undefined; i++)
      await new Promise((r) => setTimeout(r, 25));
  };
}

async function listenersOf(taskId: string): Promise<string[]> {
  return (await admin.sendCommand(["PUBSUB", "CHANNELS", `*${taskId}*`])) as string[];
}

test("a cancel published while the runner's subscription is down: its work stops at the next renewal", async () => {
  const aborted = new Promise<unknown>((resolve) => {
    abortedWith = resolve;
  });
  const onRunner = new TasksClient(runner.url);
  const onOther = new TasksClient(other.url);
  const { taskId } = await onRunner.start("hold");
  await onOther.until(taskId, (t) => t.statusMessage === "holding");
  assert.equal((await listenersOf(taskId)).length, 1, "the runner listens on the task's channel");

  const letBack = await cutRunnerSubscriber();
  try {
    assert.deepEqual(await listenersOf(taskId), [], "nobody hears the task's channel now");
    assert.equal((await onOther.cancel(taskId)).result?.resultType, "complete");
    const reason = await aborted;
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /cancelled by the client/);
    assert.deepEqual(await listenersOf(taskId), [], "the bus never brought it: the store did");
  } finally {
    await letBack();
  }
  assert.equal((await onRunner.get(taskId)).result?.status, "cancelled");
});

test("an answer published while the runner's subscription is down: the ask gets it at the next renewal", async () => {
  const capabilities = { elicitation: {} };
  const onRunner = new TasksClient(runner.url, { capabilities });
  const onOther = new TasksClient(other.url, { capabilities });
  const { taskId } = await onRunner.start("confirm");
  const asked = await onOther.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];
  const letBack = await cutRunnerSubscriber();
  try {
    assert.deepEqual(await listenersOf(taskId), [], "nobody hears the task's channel now");
    const ack = await onOther.update(taskId, {
      [key]: { action: "accept", content: { ok: true } },
    });
    assert.equal(ack.result?.resultType, "complete");
    const done = await onOther.settled(taskId);
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result?.content, [{ type: "text", text: "ok: true" }]);
    assert.deepEqual(await listenersOf(taskId), [], "the bus never brought it: the store did");
  } finally {
    await letBack();
  }
});

test("Redis restarted empty: the task is gone, and the runner stops its work", async () => {
  const aborted = new Promise<unknown>((resolve) => {
    abortedWith = resolve;
  });
  const onRunner = new TasksClient(runner.url);
  const { taskId } = await onRunner.start("hold");
  await onRunner.until(taskId, (t) => t.statusMessage === "holding");
  await redis.stop();
  await redis.start();
  const reason = await aborted;
  assert.ok(reason instanceof Error);
  assert.equal(reason.message, "The task is gone from the task store");
  assert.equal((await onRunner.get(taskId)).error?.code, -32602);
});
