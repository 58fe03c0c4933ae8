import type { ServerCore } from "../core.js";
import { invalidParams } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import { readTask } from "./task-lease.js";
import {
  detailedTask,
  missingTasksCapability,
  optedIn,
  ownerOf,
  type TaskMessage,
  taskTopic,
} from "./task-state.js";

/** More task ids than this in one stream is refused before the acknowledgement. */
export const MAX_TASK_SUBSCRIPTIONS = 1000;

/** `notifications.taskIds` of a `subscriptions/listen` filter, checked; undefined when absent. */
export function parseTaskIds(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((id) => typeof id === "string" && id.length > 0))
    throw invalidParams(
      'subscriptions/listen: "notifications.taskIds" must be an array of task ids',
    );
  const unique = [...new Set(value as string[])];
  if (unique.length > MAX_TASK_SUBSCRIPTIONS)
    throw invalidParams(
      `subscriptions/listen: at most ${MAX_TASK_SUBSCRIPTIONS} task ids per stream`,
    );
  return unique;
}

/**
 * The task ids this stream will hear about: asking needs the tasks extension
 * (-32021 otherwise, as the spec requires), and only the caller's own live
 * tasks are honoured; the rest are left out of the acknowledgement without
 * saying why, so a task id reveals nothing to someone else.
 */
export async function honorTaskIds(
  scope: RequestScope,
  core: ServerCore,
  taskIds: readonly string[],
): Promise<string[]> {
  if (!optedIn(scope)) throw missingTasksCapability("Task status notifications");
  const owner = await ownerOf(scope);
  const records = await Promise.all(taskIds.map((id) => core.taskStore.get(id)));
  return taskIds.filter((_id, i) => records[i]?.owner === owner);
}

/**
 * Forwards each status change of the tasks as `notifications/tasks` (the
 * DetailedTask tasks/get would answer), from whichever process made it.
 * Each task's current state goes first, read after listening starts, so a
 * change made before the stream opened is not missed (at worst one state
 * arrives twice).
 */
export async function listenToTasks(
  core: ServerCore,
  taskIds: readonly string[],
  deliver: (notification: { method: string; params: Record<string, unknown> }) => void,
): Promise<(() => Promise<void>)[]> {
  const listener = (message: unknown) => {
    if (!isRecord(message)) return; // a shared bus may carry anything
    const task = message as TaskMessage;
    if (task.kind === "status" && isRecord(task.task))
      deliver({ method: "notifications/tasks", params: task.task });
  };
  const stops = await Promise.all(
    taskIds.map((id) => core.bus.subscribe(taskTopic(core, id), listener)),
  );
  for (const record of await Promise.all(taskIds.map((id) => readTask(core, id)))) {
    if (record) deliver({ method: "notifications/tasks", params: detailedTask(record) });
  }
  return stops;
}
