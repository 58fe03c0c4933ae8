/**
 * examples/long-task.ts over HTTP on loopback: a task for a client that
 * declares the extension (its steps as the status message, then the
 * result), cancellable; the ordinary result with progress notifications for
 * a legacy-era client.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createServer } from "../../examples/long-task.ts";
import { type Served, serveHttp, v1Http } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let quick: Served;
let slow: Served;

before(async () => {
  quick = await serveHttp(createServer({ stepMs: 1 }));
  slow = await serveHttp(createServer({ stepMs: 60_000 }));
});
after(async () => {
  await quick.stop();
  await slow.stop();
});

test("a task: each step becomes the status message, then the result", async () => {
  const client = new TasksClient(quick.url);
  const created = await client.start("long_task", { task_name: "build" });
  assert.equal(created.ttlMs, 600_000);
  assert.equal(created.pollIntervalMs, 1000);
  const done = await client.settled(created.taskId);
  assert.equal(done.status, "completed");
  assert.equal(done.statusMessage, "Step 5/5");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "Completed: build" }]);
});

test("a task of it can be cancelled in the middle of a step", async () => {
  const client = new TasksClient(slow.url);
  const { taskId } = await client.start("long_task", { task_name: "deploy" });
  await client.cancel(taskId);
  const done = await client.settled(taskId);
  assert.equal(done.status, "cancelled");
  assert.equal(done.result, undefined);
});

test("a legacy-era client (v1 SDK) gets the ordinary result and five progress updates", async () => {
  const { client, close } = await v1Http(quick.url);
  try {
    const steps: string[] = [];
    const result = await client.callTool(
      { name: "long_task", arguments: { task_name: "build" } },
      undefined,
      { onprogress: (p) => steps.push(String(p.message)) },
    );
    assert.deepEqual(result.content, [{ type: "text", text: "Completed: build" }]);
    assert.deepEqual(steps, ["Step 1/5", "Step 2/5", "Step 3/5", "Step 4/5", "Step 5/5"]);
  } finally {
    await close();
  }
});
