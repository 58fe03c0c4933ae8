/**
 * A task from start to end, as a 2026-07-28 client sees it over HTTP on
 * loopback: the CreateTaskResult, tasks/get at once, progress as the status
 * message, the inlined result; a tool error is `completed` with `isError`, a
 * protocol error is `failed` with the JSON-RPC error.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP, InputRequired, type Logger, McpError, ToolError } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let served: Served;
let client: TasksClient;
const logged: string[] = [];
const quiet = () => {};
const logger: Logger = {
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: (message) => void logged.push(message),
};
// The test opens it once it has seen the first progress message as the status.
let openGate: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});

before(async () => {
  const mcp = new FastMCP("Lifecycle", { logger });
  mcp.tool("count", { task: "optional", input: { to: z.number().int() } }, async ({ to }, ctx) => {
    await ctx.reportProgress(1, 2, "halfway there");
    await gate;
    await ctx.reportProgress(2, 2, "done counting");
    return { counted: to };
  });
  mcp.tool("flaky", { task: "optional" }, () => {
    throw new ToolError("no luck today");
  });
  mcp.tool("crash", { task: "optional" }, () => {
    throw new Error("disk full");
  });
  mcp.tool("broken", { task: "optional" }, () => {
    throw new McpError(-32050, "the backend is down", { retryAfterMs: 1000 });
  });
  served = await serveHttp(mcp);
  client = new TasksClient(served.url);
});
after(() => served.stop());

test("a task: created durably, its progress as statusMessage, its result inlined", async () => {
  const created = await client.start("count", { to: 3 });
  assert.equal(created.status, "working");
  assert.match(created.taskId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(created.ttlMs, 3_600_000, "the default TTL: one hour");
  assert.equal(created.pollIntervalMs, 500, "the default poll interval");
  assert.ok(!Number.isNaN(Date.parse(created.createdAt)));
  // The spec: once the CreateTaskResult is out, tasks/get finds the task.
  const first = await client.get(created.taskId);
  assert.equal(first.result?.resultType, "complete");
  assert.equal(first.result?.taskId, created.taskId);

  const halfway = await client.until(created.taskId, (t) => t.statusMessage === "halfway there");
  assert.equal(halfway.status, "working");
  assert.equal(halfway.result, undefined, "no result before the end");
  openGate();

  const done = await client.settled(created.taskId);
  assert.equal(done.status, "completed");
  assert.equal(done.statusMessage, "done counting");
  assert.equal(done.resultType, "complete");
  assert.deepEqual(done.result?.structuredContent, { counted: 3 });
  assert.equal(done.result?.isError, undefined);
  assert.equal(done.error, undefined);
  assert.ok(Date.parse(done.lastUpdatedAt) >= Date.parse(done.createdAt));
  // Terminal: polling again answers the same.
  assert.deepEqual((await client.get(created.taskId)).result, done);
});

test("a tool error is completed with isError: true, never failed", async () => {
  const { taskId } = await client.start("flaky");
  const done = await client.settled(taskId);
  assert.equal(done.status, "completed");
  assert.equal(done.result?.isError, true);
  assert.deepEqual(done.result?.content, [{ type: "text", text: "no luck today" }]);
  assert.equal(done.error, undefined);
});

test("any other exception in the handler is a tool error too: completed, isError", async () => {
  const { taskId } = await client.start("crash");
  const done = await client.settled(taskId);
  assert.equal(done.status, "completed");
  assert.equal(done.result?.isError, true);
  assert.deepEqual(done.result?.content, [
    { type: "text", text: "Error executing tool crash: disk full" },
  ]);
  assert.deepEqual(logged, ['Tool "crash" failed'], "the exception goes to the server's log");
});

test("a protocol error is failed, with the JSON-RPC error inlined", async () => {
  const { taskId } = await client.start("broken");
  const done = await client.settled(taskId);
  assert.equal(done.status, "failed");
  assert.deepEqual(done.error, {
    code: -32050,
    message: "the backend is down",
    data: { retryAfterMs: 1000 },
  });
  // The spec's SHOULD: a failed task says what went wrong, as a tool error would.
  assert.equal(done.statusMessage, "Error executing tool broken: the backend is down");
  assert.equal(done.result, undefined);
});

test("an unexpected protocol failure: failed with a status message, its details masked when asked", async () => {
  for (const maskErrorDetails of [false, true]) {
    const seen: string[] = [];
    const mcp = new FastMCP("Masked", {
      maskErrorDetails,
      logger: { ...logger, error: (message) => void seen.push(message) },
    });
    // An input_required answer cannot end a task: the handler's mistake, not the client's.
    mcp.tool("confused", { task: "optional" }, () => {
      throw new InputRequired();
    });
    const masked = await serveHttp(mcp);
    try {
      const tasks = new TasksClient(masked.url);
      const done = await tasks.settled((await tasks.start("confused")).taskId);
      assert.equal(done.status, "failed");
      assert.equal(done.error?.code, -32603);
      if (maskErrorDetails) {
        assert.equal(done.statusMessage, "Error executing tool confused");
        assert.equal(done.error?.message, "Internal error");
      } else {
        assert.match(
          done.statusMessage ?? "",
          /^Error executing tool confused: The handler answered/,
        );
        assert.match(done.error?.message ?? "", /^Internal error: The handler answered/);
      }
      assert.deepEqual(seen, ['Task of tool "confused" failed'], "the details go to the log");
    } finally {
      await masked.stop();
    }
  }
});

test("every task id is new, and unknown ids are -32602", async () => {
  const a = await client.start("flaky");
  const b = await client.start("flaky");
  assert.notEqual(a.taskId, b.taskId);
  const unknown = await client.get("AAAAAAAAAAAAAAAAAAAAAA");
  assert.equal(unknown.error?.code, -32602);
  assert.equal((await client.cancel("AAAAAAAAAAAAAAAAAAAAAA")).error?.code, -32602);
  assert.equal((await client.update("AAAAAAAAAAAAAAAAAAAAAA", {})).error?.code, -32602);
});
