import type { ServerCore } from "../core.js";
import { traceOf } from "../protocol/engine-scope.js";
import { McpError } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import type { TaskOutcome, TaskTrace } from "../protocol/telemetry.js";

/**
 * The trace of a task created by this request, when the request's span
 * records: the tools/call span carries the task id, and the task's run gets
 * a span of its own (`Telemetry.startTask`), started here, while the
 * request is the active context.
 */
export function traceTask(
  scope: RequestScope,
  core: ServerCore,
  taskId: string,
): TaskTrace | undefined {
  const request = traceOf(scope);
  if (!request?.recording) return undefined;
  request.set("fastmcp.task.id", taskId);
  const tool = typeof scope.params.name === "string" ? scope.params.name : "";
  return core.telemetry?.startTask?.(taskId, tool);
}

/**
 * Runs `settle` (which waits for the work and stores the outcome) under the
 * task's span, and ends the span with the terminal status once stored:
 * cancelled when the task's signal aborted, failed when the work threw,
 * completed otherwise.
 */
export async function settleTraced(
  task: TaskTrace,
  work: Promise<unknown>,
  signal: AbortSignal,
  settle: () => Promise<void>,
): Promise<void> {
  let outcome: TaskOutcome = { status: "completed" };
  // Registered before `settle` waits on the work, so it has run by the time `settle` is done.
  work.then(
    (result) => {
      if (isRecord(result) && result.isError === true)
        outcome = { status: "completed", toolError: true };
    },
    (error: unknown) => {
      outcome = { status: "failed", error: errorOf(error) };
    },
  );
  try {
    await task.trace.run(settle);
  } catch (error) {
    task.end({
      status: "failed",
      error: { code: -32603, message: `The outcome could not be stored: ${messageOf(error)}` },
    });
    throw error;
  }
  task.end(signal.aborted ? { status: "cancelled" } : outcome);
}

function errorOf(error: unknown): { code: number; message: string } {
  if (error instanceof McpError) return { code: error.code, message: error.message };
  return { code: -32603, message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
