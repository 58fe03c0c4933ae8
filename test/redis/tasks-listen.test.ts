/**
 * Task status notifications through Redis: a `subscriptions/listen` stream
 * on one instance hears `notifications/tasks` for a task that runs on
 * another, the two sharing only a redisState prefix (store and bus).
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { type RedisState, redisState } from "../../src/redis/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { TASKS_EXT, type WireResult } from "../helpers/tasks-client.ts";

let redis: RedisServer;
const states: RedisState[] = [];
const turn = () => new Promise((resolve) => setTimeout(resolve, 10));

function instance(): FastMCP {
  const state = redisState({ url: redis.url, prefix: "listen:" });
  states.push(state);
  const mcp = new FastMCP("Listen", { ...state });
  mcp.tool("ask", { task: "required" }, async (_args, ctx) => {
    await ctx.reportProgress(1, 2, "halfway");
    const answer = await ctx.elicit("Name?", { name: z.string() });
    return `hi ${answer.action === "accept" ? answer.content.name : "?"}`;
  });
  return mcp;
}

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await Promise.all(states.map((s) => s.close()));
  await redis.stop();
});

test("notifications/tasks reach a listener on another instance, through Redis", async () => {
  const capabilities = { elicitation: {}, extensions: { [TASKS_EXT]: {} } };
  const runner = await createTestClient(instance(), { era: "modern", capabilities });
  const watcher = await createTestClient(instance(), { era: "modern", capabilities });
  const controller = new AbortController();
  try {
    const created = await runner.request("tools/call", { name: "ask", arguments: {} });
    const taskId = created.taskId as string;
    const listening = watcher.request(
      "subscriptions/listen",
      { notifications: { taskIds: [taskId] } },
      { signal: controller.signal },
    );
    listening.catch(() => {});
    const seen = (status: string) =>
      watcher.notifications.find(
        (n) => n.method === "notifications/tasks" && (n.params as WireResult)?.status === status,
      )?.params as WireResult | undefined;
    let parked = seen("input_required");
    for (let i = 0; i < 500 && !parked; i++) {
      await turn();
      parked = seen("input_required");
    }
    assert.ok(parked, "input_required, published on the runner, heard on the watcher");
    const [key] = Object.keys(parked.inputRequests ?? {}) as [string];
    await watcher.request("tasks/update", {
      taskId,
      inputResponses: { [key]: { action: "accept", content: { name: "Ada" } } },
    });
    let done = seen("completed");
    for (let i = 0; i < 500 && !done; i++) {
      await turn();
      done = seen("completed");
    }
    assert.deepEqual(done?.result?.content, [{ type: "text", text: "hi Ada" }]);
  } finally {
    controller.abort();
    await runner.close();
    await watcher.close();
  }
});
