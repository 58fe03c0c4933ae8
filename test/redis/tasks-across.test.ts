/**
 * Tasks in Redis, across server instances (each with its own redisState and
 * connections, as separate processes have): a task started on one is polled
 * to its result on another, answered (tasks/update) and cancelled from
 * another (the bus wakes the handler where it runs), another principal is
 * refused everywhere, a finished task outlives the instance that ran it, and
 * a running one is failed when its instance stops.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP } from "../../src/index.ts";
import { type RedisState, redisState } from "../../src/redis/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let redis: RedisServer;
const states: RedisState[] = [];
const served: Served[] = [];
let sawAbort: (reason: unknown) => void = () => {};
const aborted = new Promise<unknown>((resolve) => {
  sawAbort = resolve;
});
let release: () => void = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});

async function instance(): Promise<Served> {
  const state = redisState({ url: redis.url, prefix: "across:" });
  states.push(state);
  const mcp = new FastMCP("Across", {
    ...state,
    tokenVerifier: new StaticTokenVerifier({
      "alice-token": { subject: "alice", scopes: [] },
      "bob-token": { subject: "bob", scopes: [] },
    }),
    auth: { issuerUrl: "https://auth.example.com", resourceServerUrl: "http://127.0.0.1/mcp" },
  });
  mcp.tool("report", { task: "optional", input: { q: z.string() } }, async ({ q }, ctx) => {
    await ctx.reportProgress(1, 2, `working on ${q}`);
    await released;
    return `report on ${q}`;
  });
  mcp.tool("hold", { task: "optional" }, async (_args, ctx) => {
    await ctx.reportProgress(0, 1, "holding");
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    sawAbort(ctx.signal.reason);
    return "let go";
  });
  mcp.tool("confirm", { task: "optional" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Proceed?", { ok: z.boolean() });
    return answer.action === "accept" ? `ok: ${answer.content.ok} (answered elsewhere)` : "no";
  });
  const s = await serveHttp(mcp);
  served.push(s);
  return s;
}

let a: Served;
let b: Served;

before(async () => {
  redis = await startRedis();
  a = await instance();
  b = await instance();
});

after(async () => {
  release();
  await Promise.all(served.map((s) => s.stop()));
  await Promise.all(states.map((s) => s.close()));
  await redis.stop();
});

test("started on one instance, polled on another: status message, then the result", async () => {
  const onA = new TasksClient(a.url, { token: "alice-token" });
  const onB = new TasksClient(b.url, { token: "alice-token" });
  const { taskId } = await onA.start("report", { q: "sales" });
  // Durable before the answer: the other instance finds it at once.
  assert.equal((await onB.get(taskId)).result?.taskId, taskId);
  const working = await onB.until(taskId, (t) => t.statusMessage === "working on sales");
  assert.equal(working.status, "working");
  release();
  const done = await onB.settled(taskId);
  assert.equal(done.status, "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "report on sales" }]);

  const bobOnB = new TasksClient(b.url, { token: "bob-token" });
  assert.equal((await bobOnB.get(taskId)).error?.code, -32602, "another principal, elsewhere");
  assert.equal((await bobOnB.cancel(taskId)).error?.code, -32602);

  // The instance that ran it goes away; the finished task stays readable from a new one.
  await a.stop();
  const c = await instance();
  const onC = new TasksClient(c.url, { token: "alice-token" });
  assert.deepEqual((await onC.get(taskId)).result, done);
});

test("cancelled on another instance: the handler's ctx.signal aborts where it runs; every instance answers cancelled", async () => {
  const onB = new TasksClient(b.url, { token: "alice-token" });
  const c = served.at(-1) as Served;
  const onC = new TasksClient(c.url, { token: "alice-token" });
  const { taskId } = await onB.start("hold");
  await onC.until(taskId, (t) => t.statusMessage === "holding");
  assert.equal((await onC.cancel(taskId)).result?.resultType, "complete");
  assert.equal((await onB.get(taskId)).result?.status, "cancelled");
  assert.equal((await onC.get(taskId)).result?.status, "cancelled");
  assert.ok((await aborted) instanceof Error, "the bus carried the cancel to the running handler");
});

test("answered on another instance: tasks/update there resolves the ask where the handler waits", async () => {
  const capabilities = { elicitation: {} };
  const onB = new TasksClient(b.url, { token: "alice-token", capabilities });
  const c = served.at(-1) as Served;
  const onC = new TasksClient(c.url, { token: "alice-token", capabilities });
  const { taskId } = await onB.start("confirm");
  const asked = await onC.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];
  const ack = await onC.update(taskId, { [key]: { action: "accept", content: { ok: true } } });
  assert.equal(ack.result?.resultType, "complete");
  const done = await onC.settled(taskId);
  assert.deepEqual(done.result?.content, [{ type: "text", text: "ok: true (answered elsewhere)" }]);
});

test("the instance running a task stops: the task is failed, saying so, for the others", async () => {
  const extra = await instance();
  const onExtra = new TasksClient(extra.url, { token: "alice-token" });
  const onB = new TasksClient(b.url, { token: "alice-token" });
  const { taskId } = await onExtra.start("hold");
  await onB.until(taskId, (t) => t.statusMessage === "holding");
  await extra.stop();
  const after = await onB.get(taskId);
  assert.equal(after.result?.status, "failed", "not left working until its TTL");
  assert.equal(after.result?.statusMessage, "The server shut down before the task finished");
});
