/**
 * Two instances of one server sharing a task store and a bus, as two
 * processes behind a load balancer would: a task started on one is polled,
 * answered and cancelled through the other, and the running handler hears
 * tasks/update and tasks/cancel over the bus.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP, MemoryBus, MemoryTaskStore } from "../../src/index.ts";
import { createTestClient, type TestClient } from "../../src/testing/index.ts";
import type { WireResult } from "../helpers/tasks-client.ts";

const EXT = "io.modelcontextprotocol/tasks";
let runner: TestClient;
let other: TestClient;
let aborted: unknown;
/** Which instance ran each handler. */
const ranOn: string[] = [];

function instance(label: string, shared: { bus: MemoryBus; taskStore: MemoryTaskStore }) {
  const mcp = new FastMCP("Shared", shared);
  mcp.tool("confirm", { task: "required" }, async (_args, ctx) => {
    ranOn.push(label);
    const answer = await ctx.elicit("Go?", { go: z.boolean() });
    return `go=${answer.action === "accept" && answer.content.go}`;
  });
  mcp.tool("wait", { task: "required" }, async (_args, ctx) => {
    ranOn.push(label);
    await new Promise((_resolve, reject) =>
      ctx.signal.addEventListener("abort", () => {
        aborted = ctx.signal.reason;
        reject(ctx.signal.reason);
      }),
    );
  });
  return mcp;
}

before(async () => {
  const shared = { bus: new MemoryBus(), taskStore: new MemoryTaskStore() };
  const capabilities = { elicitation: {}, extensions: { [EXT]: {} } };
  runner = await createTestClient(instance("a", shared), { era: "modern", capabilities });
  other = await createTestClient(instance("b", shared), { era: "modern", capabilities });
});
after(async () => {
  await runner.close();
  await other.close();
});

async function until(client: TestClient, taskId: string, done: (r: WireResult) => boolean) {
  for (let i = 0; i < 200; i++) {
    const task = await client.request("tasks/get", { taskId });
    if (done(task)) return task as WireResult;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("task did not get there");
}

test("started on one instance, answered through the other: the handler wakes where it runs", async () => {
  const created = await runner.request("tools/call", { name: "confirm", arguments: {} });
  assert.equal(created.resultType, "task");
  const taskId = created.taskId as string;
  const parked = await until(other, taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(parked.inputRequests ?? {});
  const ack = await other.request("tasks/update", {
    taskId,
    inputResponses: { [key as string]: { action: "accept", content: { go: true } } },
  });
  assert.equal(ack.resultType, "complete");
  const done = await until(other, taskId, (t) => t.status === "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "go=true" }]);
  assert.deepEqual(ranOn, ["a"]);
});

test("cancelled through the other instance: the running handler's ctx.signal aborts", async () => {
  const created = await runner.request("tools/call", { name: "wait", arguments: {} });
  const taskId = created.taskId as string;
  await other.request("tasks/cancel", { taskId });
  const seen = await until(runner, taskId, (t) => t.status === "cancelled");
  assert.equal(seen.status, "cancelled");
  for (let i = 0; i < 100 && aborted === undefined; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(aborted instanceof Error);
  assert.match((aborted as Error).message, /cancelled by the client/);
});

test("a bus that cannot subscribe fails the call, and the stored task is failed, not left working", async () => {
  class DeafBus extends MemoryBus {
    override async subscribe(topic: string, listener: (message: unknown) => void) {
      if (topic.includes(":task:")) throw new Error("bus down");
      return super.subscribe(topic, listener);
    }
  }
  const created: string[] = [];
  class RecordingStore extends MemoryTaskStore {
    override async create(record: Parameters<MemoryTaskStore["create"]>[0]) {
      created.push(record.taskId);
      return super.create(record);
    }
  }
  const taskStore = new RecordingStore();
  const mcp = new FastMCP("Deaf", { bus: new DeafBus(), taskStore });
  mcp.tool("job", { task: "required" }, () => "never");
  const client = await createTestClient(mcp, {
    era: "modern",
    capabilities: { extensions: { [EXT]: {} } },
  });
  try {
    await assert.rejects(client.request("tools/call", { name: "job", arguments: {} }));
    assert.equal(created.length, 1);
    const stored = await taskStore.get(created[0] as string);
    assert.equal(stored?.status, "failed");
    assert.equal(stored?.error?.code, -32603);
    assert.equal(stored?.statusMessage, "The server could not start the task");
  } finally {
    await client.close();
  }
});
