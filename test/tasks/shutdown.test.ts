/**
 * What a server's stop does to the tasks it runs. A graceful shutdown of
 * `run()` (SIGTERM, its `signal`) waits for them within `shutdownTimeoutMs`,
 * as for requests: a task that finishes meanwhile keeps its result; one still
 * running at the end is failed with a status message saying the server shut
 * down, and its handler's signal aborts. `close()` fails them at once.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { FastMCP, type Logger, MemoryTaskStore } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const EXT = "io.modelcontextprotocol/tasks";

/** Resolves once nothing accepts connections on the port: the shutdown has begun. */
async function refused(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

function waitForAbort(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(signal.reason), { once: true }),
  );
}

test("graceful shutdown: a task finishing within the grace completes; one outliving it is failed and aborted", async () => {
  const taskStore = new MemoryTaskStore();
  const mcp = new FastMCP("Stopping", { taskStore, logger: quiet });
  let port = 0;
  let outlived: Promise<unknown> = Promise.resolve();
  mcp.tool("finish", { task: "required" }, async () => {
    // Finishes only once the shutdown has begun: the drain must wait for it.
    await refused(port);
    return "finished during the grace";
  });
  mcp.tool("outlive", { task: "required" }, async (_args, ctx) => {
    outlived = waitForAbort(ctx.signal);
    await outlived;
    return "too late";
  });
  const served = await serveHttp(mcp, { shutdownTimeoutMs: 500 });
  port = served.port;
  const client = new TasksClient(served.url);
  const finishing = await client.start("finish");
  const outliving = await client.start("outlive");
  await served.stop();

  const finished = await taskStore.get(finishing.taskId);
  assert.equal(finished?.status, "completed");
  assert.deepEqual(finished?.result?.content, [
    { type: "text", text: "finished during the grace" },
  ]);
  const failed = await taskStore.get(outliving.taskId);
  assert.equal(failed?.status, "failed");
  assert.equal(failed?.statusMessage, "The server shut down before the task finished");
  assert.deepEqual(failed?.error, { code: -32603, message: "The server shut down" });
  const reason = await outlived;
  assert.ok(reason instanceof Error);
  assert.equal(reason.message, "Server is shutting down");
});

test("close() fails the running tasks at once and aborts their handlers", async () => {
  const taskStore = new MemoryTaskStore();
  const mcp = new FastMCP("Closing", { taskStore, logger: quiet });
  let aborted: Promise<unknown> = Promise.resolve();
  mcp.tool("hold", { task: "required" }, async (_args, ctx) => {
    aborted = waitForAbort(ctx.signal);
    await aborted;
    return "never stored";
  });
  const client = await createTestClient(mcp, {
    era: "modern",
    capabilities: { extensions: { [EXT]: {} } },
  });
  const created = await client.request("tools/call", { name: "hold", arguments: {} });
  const taskId = created.taskId as string;
  await mcp.close();
  await client.close();
  const stored = await taskStore.get(taskId);
  assert.equal(stored?.status, "failed");
  assert.equal(stored?.statusMessage, "The server shut down before the task finished");
  assert.ok((await aborted) instanceof Error);
  // What the aborted handler returned afterwards changed nothing.
  assert.equal((await taskStore.get(taskId))?.status, "failed");
});
