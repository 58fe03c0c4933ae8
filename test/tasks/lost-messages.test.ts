/**
 * A tasks/cancel or tasks/update whose bus message never reaches the
 * instance running the task (its subscription was down: a Redis reconnect)
 * still takes effect there: the store holds the cancel and the answers, and
 * the running instance reads them at its next lease renewal. Two instances
 * over HTTP on loopback share a task store and a bus; the runner's side of
 * the bus can be made deaf.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Bus, type FastMCP, MemoryBus, MemoryTaskStore } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { lostMessagesServer } from "../helpers/lost-messages.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

/** The shared bus as one instance hears it: while deaf, task messages to it are dropped. */
class DeafBus implements Bus {
  deaf = false;
  dropped = 0;
  constructor(readonly inner: Bus) {}
  publish(topic: string, message: unknown): Promise<void> {
    return this.inner.publish(topic, message);
  }
  subscribe(topic: string, listener: (message: unknown) => void) {
    return this.inner.subscribe(topic, (message) => {
      if (!this.deaf || !topic.includes(":task:")) return listener(message);
      // Status messages are for listen streams; what counts is the cancel or the answers.
      if ((message as { kind?: string }).kind !== "status") this.dropped += 1;
    });
  }
}

const taskStore = new MemoryTaskStore();
const bus = new MemoryBus();
const runnerBus = new DeafBus(bus);
let runner: Served;
let other: Served;
let abortedWith: (reason: unknown) => void = () => {};

function instance(instanceBus: Bus): FastMCP {
  return lostMessagesServer({ taskStore, bus: instanceBus }, (reason) => abortedWith(reason));
}

before(async () => {
  runner = await serveHttp(instance(runnerBus));
  other = await serveHttp(instance(bus));
});
after(async () => {
  await runner.stop();
  await other.stop();
});

test("a cancel the bus lost: the running handler's signal aborts at its next renewal", async () => {
  const aborted = new Promise<unknown>((resolve) => {
    abortedWith = resolve;
  });
  const onRunner = new TasksClient(runner.url);
  const onOther = new TasksClient(other.url);
  const { taskId } = await onRunner.start("hold");
  await onOther.until(taskId, (t) => t.statusMessage === "holding");
  runnerBus.deaf = true;
  const dropped = runnerBus.dropped;
  assert.equal((await onOther.cancel(taskId)).result?.resultType, "complete");
  assert.ok(runnerBus.dropped > dropped, "the cancel never reached the runner by the bus");
  const reason = await aborted;
  runnerBus.deaf = false;
  assert.ok(reason instanceof Error);
  assert.match(reason.message, /cancelled by the client/);
  assert.equal((await onRunner.get(taskId)).result?.status, "cancelled");
});

test("an answer the bus lost: the waiting ask gets it from the store at the next renewal", async () => {
  const capabilities = { elicitation: {} };
  const onRunner = new TasksClient(runner.url, { capabilities });
  const onOther = new TasksClient(other.url, { capabilities });
  const { taskId } = await onRunner.start("confirm");
  const asked = await onOther.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];
  runnerBus.deaf = true;
  const dropped = runnerBus.dropped;
  const ack = await onOther.update(taskId, { [key]: { action: "accept", content: { ok: true } } });
  assert.equal(ack.result?.resultType, "complete");
  assert.ok(runnerBus.dropped > dropped, "the answer never reached the runner by the bus");
  const done = await onOther.settled(taskId);
  runnerBus.deaf = false;
  assert.equal(done.status, "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "ok: true" }]);
  const stored = await taskStore.get(taskId);
  assert.equal(stored?.inputResponses, undefined, "an answer taken is not kept");
});
