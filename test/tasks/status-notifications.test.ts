/**
 * Task status notifications: `subscriptions/listen` with
 * `notifications.taskIds` acknowledges the caller's tasks and forwards each
 * change as `notifications/tasks` carrying the DetailedTask, also when the
 * task runs on another instance sharing the store and bus.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP, type McpError, MemoryBus, MemoryTaskStore } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import type { WireResult } from "../helpers/tasks-client.ts";

const EXT = "io.modelcontextprotocol/tasks";
const turn = () => new Promise((resolve) => setTimeout(resolve, 10));

function instance(shared: { bus: MemoryBus; taskStore: MemoryTaskStore }) {
  const mcp = new FastMCP("Notify", shared);
  mcp.tool("ask", { task: "required" }, async (_args, ctx) => {
    await ctx.reportProgress(1, 2, "halfway");
    const answer = await ctx.elicit("Name?", { name: z.string() });
    return `hi ${answer.action === "accept" ? answer.content.name : "?"}`;
  });
  return mcp;
}

test("notifications/tasks carry each status change, across instances; unknown ids are not acknowledged", async () => {
  const shared = { bus: new MemoryBus(), taskStore: new MemoryTaskStore() };
  const capabilities = { elicitation: {}, extensions: { [EXT]: {} } };
  const runner = await createTestClient(instance(shared), { era: "modern", capabilities });
  const watcher = await createTestClient(instance(shared), { era: "modern", capabilities });
  const controller = new AbortController();
  try {
    const created = await runner.request("tools/call", { name: "ask", arguments: {} });
    const taskId = created.taskId as string;
    const listening = watcher.request(
      "subscriptions/listen",
      { notifications: { taskIds: [taskId, "not-a-task"] } },
      { signal: controller.signal },
    );
    listening.catch(() => {});
    let parked: WireResult | undefined;
    for (let i = 0; i < 200 && !parked; i++) {
      await turn();
      parked = watcher.notifications.find(
        (n) => n.method === "notifications/tasks" && n.params?.status === "input_required",
      )?.params;
    }
    const ack = watcher.notifications.find(
      (n) => n.method === "notifications/subscriptions/acknowledged",
    );
    assert.deepEqual((ack?.params as WireResult)?.notifications, { taskIds: [taskId] });
    assert.ok(parked, "an input_required notification arrives");
    assert.equal(parked.taskId, taskId);
    const [key] = Object.keys(parked.inputRequests ?? {});
    await watcher.request("tasks/update", {
      taskId,
      inputResponses: { [key as string]: { action: "accept", content: { name: "Ada" } } },
    });
    let done: WireResult | undefined;
    for (let i = 0; i < 200 && !done; i++) {
      await turn();
      done = watcher.notifications.find(
        (n) => n.method === "notifications/tasks" && n.params?.status === "completed",
      )?.params;
    }
    assert.deepEqual(done?.result?.content, [{ type: "text", text: "hi Ada" }]);
    const statuses = watcher.notifications
      .filter((n) => n.method === "notifications/tasks")
      .map((n) => n.params?.statusMessage ?? n.params?.status);
    assert.ok(statuses.includes("halfway"), `progress is the status message: ${statuses}`);
    // What a tasks/get answers now is what the last notification said.
    const polled = await watcher.request("tasks/get", { taskId });
    assert.deepEqual(polled.result, done?.result);
  } finally {
    controller.abort();
    await runner.close();
    await watcher.close();
  }
});

test("asking for task notifications without the extension is -32021", async () => {
  const shared = { bus: new MemoryBus(), taskStore: new MemoryTaskStore() };
  const client = await createTestClient(instance(shared), { era: "modern" });
  try {
    await assert.rejects(
      client.request("subscriptions/listen", { notifications: { taskIds: ["x"] } }),
      (error) => (error as McpError).code === -32021,
    );
    await assert.rejects(
      client.request("subscriptions/listen", { notifications: { taskIds: "x" } }),
      (error) => (error as McpError).code === -32602,
    );
  } finally {
    await client.close();
  }
});
