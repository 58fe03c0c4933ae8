/**
 * The server options of the tasks extension: `taskStore` is where tasks
 * live, `tasks` sets their TTL and poll interval; both, and a tool's `task`
 * mode, are checked at construction with errors that name the bad key or value.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: wire JSON read field by field; the asserts are the checks
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP, type FastMCPOptions, type Logger, MemoryTaskStore } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META, post, serveHttp } from "../helpers/http.ts";
import { TasksClient, type WireResult } from "../helpers/tasks-client.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const EXT = "io.modelcontextprotocol/tasks";
const loose = (value: unknown) => value as never;

test("tasks options: unknown keys are named, near misses suggested, bad values refused", () => {
  assert.throws(
    () => new FastMCP("s", { tasks: loose({ ttl: 1000 }) }),
    /unknown option "tasks\.ttl"; did you mean "tasks\.ttlMs"\?/,
  );
  assert.throws(
    () => new FastMCP("s", { tasks: loose({ retries: 3 }) }),
    /unknown option "tasks\.retries"/,
  );
  assert.throws(() => new FastMCP("s", { tasks: loose(5) }), /tasks must be an object, got number/);
  assert.throws(
    () => new FastMCP("s", { tasks: { ttlMs: 0 } }),
    /tasks\.ttlMs must be a positive integer of milliseconds, got 0/,
  );
  assert.throws(
    () => new FastMCP("s", { tasks: { pollIntervalMs: 1.5 } }),
    /tasks\.pollIntervalMs must be a positive integer of milliseconds, got 1\.5/,
  );
  assert.throws(
    () => new FastMCP("s", { tasks: { leaseMs: 50 } }),
    /tasks\.leaseMs must be at least 100 \(it is renewed every third of it\), got 50/,
  );
  assert.throws(
    () => new FastMCP("s", { tasks: loose({ lease: 5000 }) }),
    /unknown option "tasks\.lease"; did you mean "tasks\.leaseMs"\?/,
  );
  assert.throws(
    () => new FastMCP("s", { taskStore: loose({ get() {} }) }),
    /taskStore must have create\(\), get\(\) and update\(\) methods/,
  );
  assert.throws(
    () => new FastMCP("s", loose({ task_store: new MemoryTaskStore() })),
    /unknown option "task_store"; did you mean "taskStore"\?/,
  );
});

test("a tool's task mode is checked", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("t", { task: loose("always") }, () => "x"),
    /Tool "t": task must be "optional", "required" or \{ mode, inputFirst \} \(or left out: never a task\), got "always"/,
  );
  assert.throws(() => mcp.tool("u", { task: loose(true) }, () => "x"), /got true/);
  const handle = mcp.tool("v", { task: "optional" }, () => "x");
  assert.throws(() => handle.update({ task: loose("sometimes") }), /got "sometimes"/);
});

test("the taskStore option holds the tasks; tasks.ttlMs and pollIntervalMs reach the wire", async () => {
  const store = new MemoryTaskStore();
  const mcp = new FastMCP("s", { taskStore: store, tasks: { ttlMs: 90_000, pollIntervalMs: 250 } });
  mcp.tool("job", { task: "required" }, () => "done");
  const served = await serveHttp(mcp);
  try {
    const meta = {
      ...MODERN_META,
      "io.modelcontextprotocol/clientCapabilities": { extensions: { [EXT]: {} } },
    };
    const { body } = await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "job", _meta: meta } },
      { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "job" },
    );
    const result = (body as { result: WireResult }).result;
    assert.equal(result.resultType, "task");
    assert.equal(result.ttlMs, 90_000);
    assert.equal(result.pollIntervalMs, 250);
    const stored = await store.get(result.taskId ?? "");
    assert.equal(stored?.taskId, result.taskId);
    assert.equal(stored?.ttlMs, 90_000);
  } finally {
    await served.stop();
  }
});

test("a task's lease: tasks.leaseMs, else 20 poll intervals and at least 10 s", async () => {
  const cases: [FastMCPOptions["tasks"], number][] = [
    [undefined, 10_000],
    [{ pollIntervalMs: 1000 }, 20_000],
    [{ leaseMs: 400 }, 400],
  ];
  for (const [tasks, lease] of cases) {
    const store = new MemoryTaskStore();
    const mcp = new FastMCP("s", { taskStore: store, tasks, logger: quiet });
    mcp.tool("job", { task: "required" }, () => "done");
    const served = await serveHttp(mcp);
    try {
      const { taskId } = await new TasksClient(served.url).start("job");
      const stored = await store.get(taskId);
      assert.equal((stored?.leaseUntil ?? 0) - (stored?.createdAt ?? 0), lease);
    } finally {
      await served.stop();
    }
  }
});
