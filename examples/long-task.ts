/**
 * The guide's `long_task`, as a task (the tasks extension, 2026-07-28): a
 * client that declares `io.modelcontextprotocol/tasks` gets a task id at
 * once and polls `tasks/get`; each `ctx.reportProgress` message becomes the
 * task's `statusMessage`, and `tasks/cancel` aborts `ctx.signal`. Any other
 * client (a legacy-era one, or one without the extension) gets the ordinary
 * result at the end, with progress notifications on the way, as before.
 *
 *   npx tsx examples/long-task.ts            # http://127.0.0.1:8000/mcp
 *   STEP_MS=5000 PORT=8001 npx tsx examples/long-task.ts
 *
 * Tasks live in memory here; `...redisState({ url })` moves them to Redis,
 * so that any process can answer for them (see docs/tasks.md). Stopping the
 * server (Ctrl-C) waits for running tasks up to the shutdown grace, then
 * fails those left with a status message saying so.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export interface LongTaskOptions {
  /** How long each of the five steps takes. */
  stepMs?: number;
}

export function createServer(options: LongTaskOptions = {}): FastMCP {
  const stepMs = options.stepMs ?? 1000;
  const mcp = new FastMCP("MyServer", {
    // leaseMs: with a shared store, a task whose process died is failed by the first poll
    // 30 s after that process last renewed it (default: 20 poll intervals, at least 10 s).
    tasks: { ttlMs: 10 * 60_000, pollIntervalMs: 1000, leaseMs: 30_000 },
  });

  mcp.tool(
    "long_task",
    {
      description: "Execute long-running task with progress updates.",
      input: { task_name: z.string() },
      // A task for clients that can take one; the same call, synchronous, for the rest.
      task: "optional",
    },
    async ({ task_name }, ctx) => {
      await ctx.info(`Starting: ${task_name}`);
      await ctx.debug("Initializing...");

      for (let i = 0; i < 5; i++) {
        // The wait ends early when the client cancels (tasks/cancel, or
        // notifications/cancelled outside a task); throwing the signal's own
        // reason tells fastmcp-ts that this is a cancellation, not a failure.
        await sleep(stepMs, undefined, { signal: ctx.signal }).catch(() => {});
        ctx.signal.throwIfAborted();
        const progress = (i + 1) / 5;
        await ctx.reportProgress(progress, 1.0, `Step ${i + 1}/5`);
      }

      return `Completed: ${task_name}`;
    },
  );
  return mcp;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mcp = createServer({ stepMs: Number(process.env.STEP_MS ?? 1000) });
  await mcp.run({ transport: "streamable-http", port: Number(process.env.PORT ?? 8000) });
}
