/**
 * Spans of the tasks extension over raw 2026-07-28 HTTP: a task's
 * background run is a `run_task {tool}` span under the tools/call that
 * created it, ending with the task's terminal status; its handler's spans
 * and asks nest under it; tasks/get, tasks/update and tasks/cancel carry
 * the task id.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { z } from "zod";
import { ErrorCode, FastMCP, McpError } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";
import { registerSdk } from "./sdk.ts";
import { assertChild, one } from "./spans.ts";

const sdk = registerSdk();
afterEach(() => sdk.exporter.reset());

let served: Served;
let client: TasksClient;

before(async () => {
  const mcp = new FastMCP("tasks", {
    telemetry: openTelemetry({ stepSpans: true }),
    logLevel: "silent",
  });
  mcp.tool(
    "sum",
    { task: "optional", input: { a: z.number(), b: z.number() } },
    ({ a, b }) => a + b,
  );
  mcp.tool("explode", { task: "optional" }, () => {
    throw new Error("boom");
  });
  mcp.tool("refuse", { task: "optional" }, () => {
    throw new McpError(ErrorCode.InvalidParams, "not that one");
  });
  mcp.tool("hold", { task: "optional" }, async (_args, ctx) => {
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    return "let go";
  });
  mcp.tool("confirm", { task: "optional" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Sure?", { ok: z.boolean() });
    return answer.action === "accept" ? "confirmed" : "declined";
  });
  mcp.tool("later", { task: { mode: "optional", inputFirst: true } }, async (_args, ctx) => {
    await ctx.runAsTask();
    return "done in the background";
  });
  served = await serveHttp(mcp);
  client = new TasksClient(served.url, { capabilities: { elicitation: {} } });
});
after(() => served.stop());

/**
 * The span, once it has ended: a task's span ends after its outcome is
 * stored, which a client polling tasks/get may see first. Bounded by
 * turns of the event loop, not by time.
 */
async function ended(name: string): Promise<ReadableSpan> {
  for (let i = 0; i < 500; i++) {
    const found = sdk.spans().filter((s) => s.name === name);
    if (found.length > 0) return one(found, name);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return one(sdk.spans(), name);
}

test("a completed task: run_task under the tools/call span, the handler's spans under it", async () => {
  const task = await client.start("sum", { a: 2, b: 3 });
  const settled = await client.settled(task.taskId);
  assert.equal(settled.status, "completed");
  const run = await ended("run_task sum");
  const spans = sdk.spans();
  const call = one(spans, "tools/call sum");
  assert.equal(call.attributes["fastmcp.task.id"], task.taskId);
  assertChild(run, call);
  assert.equal(run.kind, SpanKind.INTERNAL);
  assert.equal(run.attributes["fastmcp.task.id"], task.taskId);
  assert.equal(run.attributes["gen_ai.tool.name"], "sum");
  assert.equal(run.attributes["fastmcp.task.status"], "completed");
  assert.equal(run.status.code, SpanStatusCode.UNSET);
  assertChild(one(spans, "validate_input sum"), run);
  assertChild(one(spans, "execute_tool sum"), run);
  const polls = spans.filter((s) => s.name === "tasks/get");
  assert.ok(polls.length > 0);
  for (const poll of polls) assert.equal(poll.attributes["fastmcp.task.id"], task.taskId);
});

test("a task whose tool errs: completed with an error result, its span an error as a tools/call's is", async () => {
  const task = await client.start("explode");
  const settled = await client.settled(task.taskId);
  assert.equal(settled.status, "completed");
  assert.equal(settled.result?.isError, true);
  const run = await ended("run_task explode");
  assert.equal(run.attributes["fastmcp.task.status"], "completed");
  assert.equal(run.attributes["error.type"], "tool_error");
  assert.equal(run.status.code, SpanStatusCode.ERROR);
  assert.equal(one(sdk.spans(), "execute_tool explode").status.code, SpanStatusCode.ERROR);
});

test("a failed task: its run_task span is an error with the JSON-RPC code and message", async () => {
  const task = await client.start("refuse");
  const settled = await client.settled(task.taskId);
  assert.equal(settled.status, "failed");
  const run = await ended("run_task refuse");
  assert.equal(run.attributes["fastmcp.task.status"], "failed");
  assert.equal(run.attributes["error.type"], String(ErrorCode.InvalidParams));
  assert.equal(run.status.code, SpanStatusCode.ERROR);
  assert.equal(run.status.message, "not that one");
});

test("a cancelled task: its run_task span ends cancelled; tasks/cancel carries the task id", async () => {
  const task = await client.start("hold");
  const { error } = await client.cancel(task.taskId);
  assert.equal(error, undefined);
  const run = await ended("run_task hold");
  assert.equal(run.attributes["fastmcp.task.status"], "cancelled");
  assert.equal(run.status.code, SpanStatusCode.UNSET);
  assert.equal(one(sdk.spans(), "tasks/cancel").attributes["fastmcp.task.id"], task.taskId);
});

test("an ask inside a task is a CLIENT span under the handler's, lasting until tasks/update answers", async () => {
  const task = await client.start("confirm");
  const parked = await client.until(task.taskId, (t) => t.status === "input_required");
  const key = Object.keys(parked.inputRequests ?? {})[0] as string;
  // Not answered yet: the ask's span is still open.
  assert.equal(
    sdk.spans().some((s) => s.name === "elicitation/create"),
    false,
  );
  const update = await client.update(task.taskId, {
    [key]: { action: "accept", content: { ok: true } },
  });
  assert.equal(update.error, undefined);
  assert.equal((await client.settled(task.taskId)).status, "completed");
  const run = await ended("run_task confirm");
  const spans = sdk.spans();
  const ask = one(spans, "elicitation/create");
  assert.equal(ask.kind, SpanKind.CLIENT);
  assert.equal(ask.attributes["mcp.method.name"], "elicitation/create");
  const execute = one(spans, "execute_tool confirm");
  assertChild(ask, execute);
  assertChild(execute, run);
  assert.equal(one(spans, "tasks/update").attributes["fastmcp.task.id"], task.taskId);
});

test("an unknown task id is still on the tasks/get span (the id the client named)", async () => {
  const { error } = await client.get("no-such-task");
  assert.equal(error?.code, -32602);
  assert.equal(one(sdk.spans(), "tasks/get").attributes["fastmcp.task.id"], "no-such-task");
});

test("a tool that becomes a task with ctx.runAsTask(): its run_task span starts there, under the tools/call", async () => {
  const task = await client.start("later");
  assert.equal((await client.settled(task.taskId)).status, "completed");
  const run = await ended("run_task later");
  const call = one(sdk.spans(), "tools/call later");
  assertChild(run, call);
  assert.equal(call.attributes["fastmcp.task.id"], task.taskId);
  assert.equal(run.attributes["fastmcp.task.status"], "completed");
});

test("a task the server stops while it runs: its run_task span is failed, as the task is, not cancelled", async () => {
  const mcp = new FastMCP("stopping", {
    telemetry: openTelemetry(),
    logLevel: "silent",
  });
  mcp.tool("wait", { task: "optional" }, async (_args, ctx) => {
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
    return "stopped";
  });
  const stopping = await serveHttp(mcp);
  const tasks = new TasksClient(stopping.url);
  const task = await tasks.start("wait");
  await stopping.stop();
  const run = await ended("run_task wait");
  assert.equal(run.attributes["fastmcp.task.id"], task.taskId);
  assert.equal(run.attributes["fastmcp.task.status"], "failed");
  assert.equal(run.status.code, SpanStatusCode.ERROR);
  assert.match(run.status.message ?? "", /shut down|stopped/i);
});
