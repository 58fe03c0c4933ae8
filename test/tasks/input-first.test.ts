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
import { MODERN_HEADERS, MODERN_META, post, type Served, serveHttp } from "../helpers/http.ts";
import type { WireResult } from "../helpers/tasks-client.ts";

const EXT = "io.modelcontextprotocol/tasks";
const OPTED_META = {
  ...MODERN_META,
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, extensions: { [EXT]: {} } },
};
const PLAIN_META = {
  ...MODERN_META,
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {} },
};

let served: Served;
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
});
after(() => served.stop());

let nextId = 1;
async function rpc(method: string, params: Record<string, unknown>, meta: object = OPTED_META) {
  const name = typeof params.name === "string" ? params.name : params.taskId;
  const headers: Record<string, string> = { ...MODERN_HEADERS, "mcp-method": method };
  if (typeof name === "string") headers["mcp-name"] = name;
  const { body } = await post(
    served.url,
    { jsonrpc: "2.0", id: nextId++, method, params: { ...params, _meta: meta } },
    headers,
  );
  return body as { result?: WireResult; error?: { code: number; message: string } };
}

async function until(taskId: string | undefined, done: (r: WireResult) => boolean) {
  for (let i = 0; i < 200; i++) {
    const { result } = await rpc("tasks/get", { taskId });
    if (result && done(result)) return result;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("task did not get there");
}

test("round 1 is input_required with no task; the final round is a task that keeps the answer", async () => {
  const first = await rpc("tools/call", { name: "book", arguments: {} });
  assert.equal(first.result?.resultType, "input_required");
  assert.equal("taskId" in (first.result ?? {}), false);
  const key = Object.keys(first.result?.inputRequests ?? {})[0] as string;
  const second = await rpc("tools/call", {
    name: "book",
    arguments: {},
    inputResponses: { [key]: { action: "accept", content: { name: "Alice" } } },
    requestState: first.result?.requestState,
  });
  assert.equal(second.result?.resultType, "task");
  assert.equal(escalated, true);
  for (const field of ["requestState", "inputRequests", "result"]) {
    assert.equal(field in (second.result ?? {}), false, field);
  }
  const taskId = second.result?.taskId as string;
  const parked = await until(taskId, (r) => r.status === "input_required");
  const [inner] = Object.keys(parked.inputRequests ?? {});
  assert.match(JSON.stringify(parked.inputRequests), /Book for Alice\?/);
  await rpc("tasks/update", {
    taskId,
    inputResponses: { [inner as string]: { action: "accept", content: { ok: true } } },
  });
  const done = await until(taskId, (r) => r.status === "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "booked for Alice: true" }]);
});

test("without the extension the same handler runs as plain rounds; runAsTask() is false", async () => {
  const first = await rpc("tools/call", { name: "book", arguments: {} }, PLAIN_META);
  assert.equal(first.result?.resultType, "input_required");
  const key = Object.keys(first.result?.inputRequests ?? {})[0] as string;
  const second = await rpc(
    "tools/call",
    {
      name: "book",
      arguments: {},
      inputResponses: { [key]: { action: "accept", content: { name: "Bob" } } },
      requestState: first.result?.requestState,
    },
    PLAIN_META,
  );
  assert.equal(escalated, false);
  // The second ask is one more round of the same call, not a task.
  assert.equal(second.result?.resultType, "input_required");
  assert.match(JSON.stringify(second.result?.inputRequests), /Book for Bob\?/);
});

test("a handler that never calls runAsTask() answers directly", async () => {
  const { result } = await rpc("tools/call", { name: "quick", arguments: {} });
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
