import type { ServerCore } from "../core.js";
import { traceOf } from "../protocol/engine-scope.js";
import type { RequestScope } from "../protocol/scope.js";
import type { TaskOutcome, TaskTrace } from "../protocol/telemetry.js";
import type { TaskRecord } from "../state/tasks.js";

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
 * task's span, and ends the span with the task as stored then: whoever
 * ended it (the work, tasks/cancel, a shutdown, another process finding its
 * lease expired) stored the status, so the span says what clients see.
 */
export async function settleTraced(
  task: TaskTrace,
  settle: () => Promise<TaskRecord | undefined>,
): Promise<void> {
  let stored: TaskRecord | undefined;
  try {
    stored = await task.trace.run(settle);
  } catch (error) {
    task.end({
      status: "failed",
      error: {
        code: -32603,
        message: `The outcome could not be stored: ${error instanceof Error ? error.message : String(error)}`,
      },
    });
    throw error;
  }
  task.end(outcomeOf(stored));
}

function outcomeOf(record: TaskRecord | undefined): TaskOutcome {
  if (record === undefined) {
    return {
      status: "failed",
      error: { code: -32603, message: "The task is gone from the store" },
    };
  }
  switch (record.status) {
    case "completed":
      return { status: "completed", toolError: record.result?.isError === true };
    case "cancelled":
      return { status: "cancelled" };
    case "failed": {
      const error = record.error ?? { code: -32603, message: record.statusMessage ?? "failed" };
      return { status: "failed", error: { code: error.code, message: error.message } };
    }
    default:
      return {
        status: "failed",
        error: { code: -32603, message: `The task stopped while ${record.status}` },
      };
  }
}
