/**
 * The tasks extension over raw 2026-07-28 HTTP: a task tool answers with a
 * CreateTaskResult when the request opts in, tasks/get polls it to its
 * result, tasks/cancel aborts ctx.signal, and ctx.elicit inside a task is
 * answered with tasks/update.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { MODERN_HEADERS, MODERN_META, post, type Served, serveHttp } from "../helpers/http.ts";
import { type RpcBody, TasksClient, type WireResult } from "../helpers/tasks-client.ts";

const EXT = "io.modelcontextprotocol/tasks";
const OPTED_META = {
  ...MODERN_META,
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {}, extensions: { [EXT]: {} } },
};

let served: Served;
let aborted: unknown;
/** Declares the extension (and elicitation) on every request. */
let client: TasksClient;
/** Declares nothing: a 2026-07-28 client without the extension. */
let plain: TasksClient;

before(async () => {
  const mcp = new FastMCP("Tasks");
  mcp.tool("greet", { input: { name: z.string() } }, ({ name }) => `Hello, ${name}!`);
  mcp.tool("slow", { task: "optional", input: { ms: z.number() } }, async ({ ms }, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        aborted = ctx.signal.reason;
        reject(ctx.signal.reason);
      });
    });
    return `slept ${ms}`;
  });
  mcp.tool("must", { task: "required" }, () => "done");
  mcp.tool("confirm", { task: "optional" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Sure?", { confirm: z.boolean() });
    return answer.action === "accept" ? `confirmed ${answer.content.confirm}` : "declined";
  });
  served = await serveHttp(mcp);
  client = new TasksClient(served.url, { capabilities: { elicitation: {} } });
  plain = new TasksClient(served.url, { optIn: false });
});
after(() => served.stop());

test("discover advertises the extension", async () => {
  const { result } = await client.rpc<WireResult>("server/discover", {});
  assert.deepEqual(result?.capabilities?.extensions, { [EXT]: {} });
});

test("an opted-in call makes a task; tasks/get inlines the result", async () => {
  const { result } = await client.call("slow", { ms: 50 });
  assert.equal(result?.resultType, "task");
  assert.equal(result?.status, "working");
  assert.ok(Number.isInteger(result?.ttlMs) && Number.isInteger(result?.pollIntervalMs));
  for (const key of ["result", "error", "inputRequests", "requestState", "ttl"]) {
    assert.equal(key in (result ?? {}), false, key);
  }
  const now = await client.get(result?.taskId as string);
  assert.equal(now.result?.resultType, "complete");
  const done = await client.until(result?.taskId as string, (r) => r.status === "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "slept 50" }]);
});

test("without the opt-in: optional runs synchronously, required is -32021, tasks/* is -32021", async () => {
  const sync = await plain.call("slow", { ms: 0 });
  assert.equal(sync.result?.resultType, "complete");
  const must = await plain.call("must");
  assert.equal(must.error?.code, -32021);
  assert.deepEqual(
    (must.error?.data as { requiredCapabilities?: unknown } | undefined)?.requiredCapabilities,
    { extensions: { [EXT]: {} } },
  );
  const get = await plain.get("x");
  assert.equal(get.error?.code, -32021);
});

test("unknown task ids are -32602; tasks/result and tasks/list are -32601", async () => {
  assert.equal((await client.get("nope")).error?.code, -32602);
  assert.equal((await client.rpc("tasks/result", { taskId: "nope" }, "nope")).error?.code, -32601);
  assert.equal((await client.rpc("tasks/list", {})).error?.code, -32601);
});

test("tasks/cancel aborts ctx.signal and the task ends cancelled; cancel again is the same ack", async () => {
  const { result } = await client.call("slow", { ms: 60_000 });
  const ack = await client.cancel(result?.taskId as string);
  assert.deepEqual(Object.keys(ack.result ?? {}).sort(), ["_meta", "resultType"]);
  const done = await client.until(result?.taskId as string, (r) => r.status !== "working");
  assert.equal(done.status, "cancelled");
  assert.ok(aborted instanceof Error);
  const again = await client.cancel(result?.taskId as string);
  assert.equal(again.result?.resultType, "complete");
});

test("ctx.elicit inside a task: input_required, answered by tasks/update", async () => {
  const { result } = await client.call("confirm");
  const parked = await client.until(result?.taskId as string, (r) => r.status === "input_required");
  const key = Object.keys(parked.inputRequests ?? {})[0] as string;
  assert.equal(parked.inputRequests?.[key]?.method, "elicitation/create");
  const ack = await client.update(result?.taskId as string, {
    [key]: { action: "accept", content: { confirm: true } },
  });
  assert.equal(ack.result?.resultType, "complete");
  const done = await client.until(result?.taskId as string, (r) => r.status === "completed");
  assert.deepEqual(done.result?.content, [{ type: "text", text: "confirmed true" }]);
});

test("tasks/*: Mcp-Name must carry params.taskId (-32020, HTTP 400), missing or different", async () => {
  const { result } = await client.call("slow", { ms: 60_000 });
  const taskId = result?.taskId as string;
  let nextId = 1000;
  const send = (method: string, name: string | undefined) => {
    const headers: Record<string, string> = { ...MODERN_HEADERS, "mcp-method": method };
    if (name !== undefined) headers["mcp-name"] = name;
    const params = { taskId, inputResponses: {}, _meta: OPTED_META };
    return post(served.url, { jsonrpc: "2.0", id: nextId++, method, params }, headers);
  };
  for (const method of ["tasks/get", "tasks/update", "tasks/cancel"]) {
    const wrong = await send(method, "someone-elses-task");
    assert.equal(wrong.status, 400, method);
    assert.equal((wrong.body as RpcBody).error?.code, -32020, method);
    assert.match(
      (wrong.body as RpcBody).error?.message ?? "",
      /Mcp-Name header value 'someone-elses-task'/,
    );
    const missing = await send(method, undefined);
    assert.equal(missing.status, 400, method);
    assert.match((missing.body as RpcBody).error?.message ?? "", /missing Mcp-Name header/);
  }
  const matched = await send("tasks/get", taskId);
  assert.equal((matched.body as RpcBody).result?.taskId, taskId);
  await send("tasks/cancel", taskId);
});

test("tools/list shows no execution.taskSupport (SEP-2663 removed it; the server decides per call)", async () => {
  const { result } = await client.rpc<WireResult>("tools/list", {});
  const slow = result?.tools?.find((t) => t.name === "slow");
  assert.ok(slow);
  assert.equal("execution" in slow, false);
});

test("a legacy-era client calling a task tool gets the ordinary synchronous result", async () => {
  const mcp = new FastMCP("Legacy");
  mcp.tool("job", { task: "required" }, () => "done now");
  const client = await createTestClient(mcp);
  try {
    const result = await client.request("tools/call", { name: "job", arguments: {} });
    assert.deepEqual(result.content, [{ type: "text", text: "done now" }]);
    assert.equal("taskId" in result, false);
    const tools = await client.request("tools/list", {});
    assert.equal("execution" in ((tools.tools as object[])[0] ?? {}), false);
  } finally {
    await client.close();
  }
});
