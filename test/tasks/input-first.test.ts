/**
 * MRTR rounds, then a task (`task: { mode, inputFirst: true }` and
 * `ctx.runAsTask()`): the tools/call's asks are plain input rounds with no
 * task id, and the final round answers with a CreateTaskResult without
 * requestState; the task's result carries what the rounds gathered.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let served: Served;
/** Declares elicitation and the tasks extension. */
let client: TasksClient;
/** Declares elicitation only. */
let plain: TasksClient;
let escalated: boolean | undefined;

before(async () => {
  const mcp = new FastMCP("InputFirst");
  mcp.tool("book", { task: { mode: "optional", inputFirst: true } }, async (_args, ctx) => {
    const who = await ctx.elicit("Who?", { name: z.string() });
    escalated = await ctx.runAsTask();
    const name = who.action === "accept" ? who.content.name : "nobody";
    // Asked inside the task: parks it until tasks/update.
    const sure = await ctx.elicit(`Book for ${name}?`, { ok: z.boolean() });
    return `booked for ${name}: ${sure.action === "accept" && sure.content.ok}`;
  });
  mcp.tool("quick", { task: { mode: "required", inputFirst: true } }, () => "no task needed");
  served = await serveHttp(mcp);
  client = new TasksClient(served.url, { capabilities: { elicitation: {} } });
  plain = new TasksClient(served.url, { optIn: false, capabilities: { elicitation: {} } });
});
after(() => served.stop());

test("round 1 is input_required with no task; the final round is a task that keeps the answer", async () => {
  const first = await client.round("book");
  assert.equal(first.result?.resultType, "input_required");
  assert.equal("taskId" in (first.result ?? {}), false);
  const key = Object.keys(first.result?.inputRequests ?? {})[0] as string;
  const second = await client.round(
    "book",
    {},
    {
      inputResponses: { [key]: { action: "accept", content: { name: "Alice" } } },
      requestState: first.result?.requestState,
    },
  );
  assert.equal(second.result?.resultType, "task");
  assert.equal(escalated, true);
  for (const field of ["requestState", "inputRequests", "result"]) {
    assert.equal(field in (second.result ?? {}), false, field);
  }
  const taskId = second.result?.taskId as string;
  const parked = await client.until(taskId, (r) => r.status === "input_required");
  const [inner] = Object.keys(parked.inputRequests ?? {});
  assert.match(JSON.stringify(parked.inputRequests), /Book for Alice\?/);
  await client.update(taskId, {
    [inner as string]: { action: "accept", content: { ok: true } },
  });
  const done = await client.until(taskId, (r) => r.status === "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "booked for Alice: true" }]);
});

test("without the extension the same handler runs as plain rounds; runAsTask() is false", async () => {
  const first = await plain.round("book");
  assert.equal(first.result?.resultType, "input_required");
  const key = Object.keys(first.result?.inputRequests ?? {})[0] as string;
  const second = await plain.round(
    "book",
    {},
    {
      inputResponses: { [key]: { action: "accept", content: { name: "Bob" } } },
      requestState: first.result?.requestState,
    },
  );
  assert.equal(escalated, false);
  // The second ask is one more round of the same call, not a task.
  assert.equal(second.result?.resultType, "input_required");
  assert.match(JSON.stringify(second.result?.inputRequests), /Book for Bob\?/);
});

test("a handler that never calls runAsTask() answers directly", async () => {
  const { result } = await client.round("quick");
  assert.equal(result?.resultType, "complete");
  assert.deepEqual(result?.content, [{ type: "text", text: "no task needed" }]);
});

test("task config is checked: unknown keys named, mode and inputFirst typed", () => {
  const mcp = new FastMCP("s");
  const loose = (value: unknown) => value as never;
  assert.throws(
    () => mcp.tool("a", { task: loose({ mode: "required", inputfirst: true }) }, () => ""),
    /unknown option "task\.inputfirst"; did you mean "task\.inputFirst"\?/,
  );
  assert.throws(
    () => mcp.tool("b", { task: loose({ mode: "always" }) }, () => ""),
    /task\.mode must be "optional" or "required", got "always"/,
  );
  assert.throws(
    () => mcp.tool("c", { task: loose({ mode: "optional", inputFirst: "yes" }) }, () => ""),
    /task\.inputFirst must be a boolean, got "yes"/,
  );
});
