import type { ServerCore } from "../core.js";
import { traceOf } from "../protocol/engine-scope.js";
import { invalidParams } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import type { TaskRecord } from "../state/tasks.js";
import { readTask } from "./task-lease.js";
import {
  changeTask,
  detailedTask,
  missingTasksCapability,
  optedIn,
  ownerOf,
  type TaskMessage,
  taskTopic,
} from "./task-state.js";

/**
 * The task named by the request, for its owner only. Unknown, expired and
 * someone else's tasks get the same -32602, so a task id reveals nothing to
 * a caller it does not belong to.
 */
async function ownTask(scope: RequestScope, core: ServerCore): Promise<TaskRecord> {
  if (!optedIn(scope)) throw missingTasksCapability(scope.method);
  const { taskId } = scope.params;
  if (typeof taskId !== "string") throw invalidParams(`${scope.method}: "taskId" must be a string`);
  // Ids handed out are 22 characters: a longer one is the client's own, cut short.
  traceOf(scope)?.set("fastmcp.task.id", taskId.slice(0, 128));
  const record = await readTask(core, taskId);
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
  return detailedTask(await ownTask(scope, core));
}

/**
 * tasks/cancel: an empty ack; the status is cancelled at once in the store,
 * and the process running the work (this one or another) hears it on the
 * bus and aborts its ctx.signal.
 */
export async function cancelTask(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const record = await ownTask(scope, core);
  // Terminal tasks keep their status (the store refuses the change): the ack is the same.
  const after = await changeTask(core, record.taskId, () => ({
    status: "cancelled",
    statusMessage: "Cancelled by the client",
    inputRequests: undefined,
  }));
  if (after?.status === "cancelled") {
    const message: TaskMessage = { kind: "cancel" };
    await core.bus.publish(taskTopic(core, record.taskId), message);
  }
  return {};
}

/**
 * tasks/update: answers to open asks. Keys that are not open are ignored (the
 * spec says so); the task is working again once no ask is open. The store
 * records the change and keeps the answers until the running handler takes
 * them; the bus brings them to it at once, in whichever process runs it, and
 * its next lease renewal reads them from the store if the bus lost them.
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
  let answered: Record<string, Record<string, unknown>> = {};
  await changeTask(core, record.taskId, (current) => {
    answered = {};
    const open = { ...current.inputRequests };
    for (const [key, response] of Object.entries(inputResponses)) {
      if (Object.hasOwn(open, key) && isRecord(response)) {
        answered[key] = response;
        delete open[key];
      }
    }
    if (Object.keys(answered).length === 0) return undefined;
    const kept = { ...current.inputResponses, ...answered };
    return Object.keys(open).length > 0
      ? { inputRequests: open, inputResponses: kept }
      : { status: "working", inputRequests: undefined, inputResponses: kept };
  });
  if (Object.keys(answered).length > 0) {
    const message: TaskMessage = { kind: "answers", responses: answered };
    await core.bus.publish(taskTopic(core, record.taskId), message);
  }
  return {};
}
