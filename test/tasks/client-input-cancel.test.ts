/**
 * Input inside a task and cancellation, over HTTP on loopback: ctx.elicit in
 * a task parks it in input_required until tasks/update answers (unknown keys
 * ignored, each ask's key new); tasks/cancel aborts ctx.signal and the task
 * stays cancelled whatever the handler does afterwards.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let served: Served;
const client = () =>
  new TasksClient(served.url, { capabilities: { elicitation: {}, sampling: {} } });
let sawAbort: (reason: unknown) => void = () => {};
const aborted = new Promise<unknown>((resolve) => {
  sawAbort = resolve;
});
let openResume: () => void = () => {};
const resumeGate = new Promise<void>((resolve) => {
  openResume = resolve;
});
let handlerEnded: (value: string) => void = () => {};
const ended = new Promise<string>((resolve) => {
  handlerEnded = resolve;
});

before(async () => {
  const mcp = new FastMCP("Input and cancel");
  mcp.tool("rename", { task: "required" }, async (_args, ctx) => {
    const first = await ctx.elicit("New name?", { name: z.string() });
    if (first.action !== "accept") return "kept the old name";
    const sure = await ctx.elicit(`Rename to ${first.content.name}?`, { ok: z.boolean() });
    return sure.action === "accept" && sure.content.ok
      ? `renamed to ${first.content.name}`
      : "not renamed";
  });
  mcp.tool("pause", { task: "optional" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Continue?", { go: z.boolean() });
    await resumeGate;
    return answer.action;
  });
  mcp.tool("haiku", { task: "optional" }, async (_args, ctx) => {
    const reply = await ctx.sample("Write a haiku about queues.", { maxTokens: 50 });
    return `model said: ${reply.text}`;
  });
  mcp.tool("wait", { task: "optional" }, async (_args, ctx) => {
    await ctx.reportProgress(0, 1, "waiting for cancel");
    await new Promise<void>((resolve) => {
      ctx.signal.addEventListener("abort", () => {
        sawAbort(ctx.signal.reason);
        resolve();
      });
    });
    // Returns anyway, as a handler that ignores its signal might: the task stays cancelled.
    handlerEnded("returned after abort");
    return "finished regardless";
  });
  served = await serveHttp(mcp);
});
after(() => served.stop());

test("ctx.elicit in a task: input_required, answered by tasks/update, a new key per ask", async () => {
  const c = client();
  const { taskId } = await c.start("rename");
  const asked = await c.until(taskId, (t) => t.status === "input_required");
  const keys = Object.keys(asked.inputRequests ?? {});
  assert.equal(keys.length, 1);
  const [first] = keys as [string];
  assert.match(first, /^elicit-/);
  assert.equal(asked.inputRequests?.[first]?.method, "elicitation/create");
  assert.equal(asked.inputRequests?.[first]?.params?.message, "New name?");

  // A key that is not open is ignored: the ack is the same, the task still waits.
  const stray = await c.update(taskId, { "no-such-key": { action: "accept", content: {} } });
  assert.equal(stray.result?.resultType, "complete");
  assert.equal((await c.get(taskId)).result?.status, "input_required");

  const ack = await c.update(taskId, { [first]: { action: "accept", content: { name: "b.txt" } } });
  assert.deepEqual(Object.keys(ack.result ?? {}).sort(), ["_meta", "resultType"]);
  const again = await c.until(
    taskId,
    (t) => t.status === "input_required" && !(first in (t.inputRequests ?? {})),
  );
  const [second] = Object.keys(again.inputRequests ?? {}) as [string];
  assert.notEqual(second, first, "a key is never reused within a task");
  assert.equal(again.inputRequests?.[second]?.params?.message, "Rename to b.txt?");
  // The first key is answered: answering it again changes nothing.
  await c.update(taskId, { [first]: { action: "decline" } });
  await c.update(taskId, { [second]: { action: "accept", content: { ok: true } } });

  const done = await c.settled(taskId);
  assert.equal(done.status, "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "renamed to b.txt" }]);
  assert.equal(done.inputRequests, undefined);
});

test("once every open ask is answered the task is working again", async () => {
  const c = client();
  const { taskId } = await c.start("pause");
  const asked = await c.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];
  await c.update(taskId, { [key]: { action: "accept", content: { go: true } } });
  const resumed = await c.until(taskId, (t) => t.status === "working");
  assert.equal(resumed.inputRequests, undefined);
  openResume();
  assert.deepEqual((await c.settled(taskId)).result?.content, [{ type: "text", text: "accept" }]);
});

test("ctx.sample in a task: the model's answer arrives by tasks/update too", async () => {
  const c = client();
  const { taskId } = await c.start("haiku");
  const asked = await c.until(taskId, (t) => t.status === "input_required");
  const [key, request] = Object.entries(asked.inputRequests ?? {})[0] as [
    string,
    { method: string },
  ];
  assert.equal(request.method, "sampling/createMessage");
  await c.update(taskId, {
    [key]: { role: "assistant", content: { type: "text", text: "a line waits" }, model: "m" },
  });
  const done = await c.settled(taskId);
  assert.deepEqual(done.result?.content, [{ type: "text", text: "model said: a line waits" }]);
});

test("tasks/cancel aborts ctx.signal; the task ends cancelled and stays so", async () => {
  const c = client();
  const { taskId } = await c.start("wait");
  await c.until(taskId, (t) => t.statusMessage === "waiting for cancel");
  const ack = await c.cancel(taskId);
  assert.equal(ack.result?.resultType, "complete");
  assert.ok((await aborted) instanceof Error, "the handler's ctx.signal aborted");
  assert.equal(await ended, "returned after abort");
  const done = await c.settled(taskId);
  assert.equal(done.status, "cancelled");
  assert.equal(done.result, undefined, "what the handler returned afterwards is dropped");
  // Idempotent on a terminal task.
  assert.equal((await c.cancel(taskId)).result?.resultType, "complete");
  assert.equal((await c.get(taskId)).result?.status, "cancelled");
});

test("cancelling a task that waits for input ends its ask", async () => {
  const c = client();
  const { taskId } = await c.start("rename");
  await c.until(taskId, (t) => t.status === "input_required");
  await c.cancel(taskId);
  const done = await c.settled(taskId);
  assert.equal(done.status, "cancelled");
  assert.equal(done.inputRequests, undefined);
});

test("cancelling a finished task changes nothing", async () => {
  const c = client();
  const { taskId } = await c.start("rename");
  const asked = await c.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];
  await c.update(taskId, { [key]: { action: "decline" } });
  const done = await c.settled(taskId);
  assert.equal(done.status, "completed");
  assert.equal((await c.cancel(taskId)).result?.resultType, "complete");
  assert.equal((await c.get(taskId)).result?.status, "completed");
});
