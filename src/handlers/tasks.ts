import type { ServerCore } from "../core.js";
import { invalidParams } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import type { TaskRecord } from "../state/tasks.js";
import { missingTasksCapability, optedIn, ownerOf, taskFields, taskHost } from "./task-run.js";

/**
 * The task named by the request, for its owner only. Unknown, expired and
 * someone else's tasks get the same -32602, so a task id reveals nothing to
 * a caller it does not belong to.
 */
async function ownTask(scope: RequestScope, core: ServerCore): Promise<TaskRecord> {
  if (!optedIn(scope)) throw missingTasksCapability(scope.method);
  const { taskId } = scope.params;
  if (typeof taskId !== "string") throw invalidParams(`${scope.method}: "taskId" must be a string`);
  const record = await taskHost(core).store.get(taskId);
  if (!record || record.owner !== (await ownerOf(scope))) {
    throw invalidParams("Failed to retrieve task: Task not found (unknown or expired)");
  }
  return record;
}

/** tasks/get: the status, and what goes with it (open asks, the result or the error). */
export async function getTask(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const record = await ownTask(scope, core);
  const detailed = taskFields(record);
  if (record.status === "input_required" && record.inputRequests) {
    detailed.inputRequests = record.inputRequests;
  }
  if (record.status === "completed" && record.result) detailed.result = record.result;
  if (record.status === "failed" && record.error) detailed.error = record.error;
  return detailed;
}

/** tasks/cancel: an empty ack; the work's ctx.signal aborts and the status is cancelled at once. */
export async function cancelTask(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const record = await ownTask(scope, core);
  const host = taskHost(core);
  // Terminal tasks keep their status (the store refuses the change): the ack is the same.
  await host.store.update(record.taskId, () => ({
    status: "cancelled",
    statusMessage: "Cancelled by the client",
    inputRequests: undefined,
  }));
  host.live.get(record.taskId)?.controller.abort(new Error("The task was cancelled by the client"));
  return {};
}

/**
 * tasks/update: answers to open asks. Keys that are not open are ignored (the
 * spec says so); the task is working again once no ask is open.
 */
export async function updateTask(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const record = await ownTask(scope, core);
  const { inputResponses } = scope.params;
  if (!isRecord(inputResponses)) {
    throw invalidParams('tasks/update: "inputResponses" must be an object');
  }
  const host = taskHost(core);
  const answered = new Map<string, Record<string, unknown>>();
  await host.store.update(record.taskId, (current) => {
    const open = { ...current.inputRequests };
    for (const [key, response] of Object.entries(inputResponses)) {
      if (key in open && isRecord(response)) {
        answered.set(key, response);
        delete open[key];
      }
    }
    if (answered.size === 0) return undefined;
    const pending = Object.keys(open).length > 0;
    return pending ? { inputRequests: open } : { status: "working", inputRequests: undefined };
  });
  const live = host.live.get(record.taskId);
  for (const [key, response] of answered) {
    live?.waiting.get(key)?.(response);
    live?.waiting.delete(key);
  }
  return {};
}
