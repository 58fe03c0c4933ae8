import type { ServerCore } from "../core.js";
import { McpError } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import { principalOf } from "../protocol/mrtr.js";
import { digest } from "../protocol/request-state.js";
import type { RequestScope } from "../protocol/scope.js";
import { topics } from "../state/bus.js";
import type { TaskChange, TaskRecord } from "../state/tasks.js";

/** The extension's id, in capabilities on both sides. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** -32021: the request needs a client capability it did not declare (SEP-2575). */
export const MISSING_CLIENT_CAPABILITY = -32021;

/**
 * What travels on a task's bus topic. The store holds the task's state; the
 * bus only wakes whoever must act on a change, in whichever process:
 * `cancel` and `answers` the process running the task, `status` the
 * `subscriptions/listen` streams watching it.
 */
export type TaskMessage =
  | { readonly kind: "cancel" }
  | { readonly kind: "answers"; readonly responses: Record<string, Record<string, unknown>> }
  | { readonly kind: "status"; readonly task: Record<string, unknown> };

export function taskTopic(core: ServerCore, taskId: string): string {
  return topics.task(core.busPrefix, taskId);
}

/** True when this request declared the tasks extension (per request, in `_meta`, or at initialize). */
export function optedIn(scope: RequestScope): boolean {
  const extensions = scope.clientCapabilities.extensions;
  return isRecord(extensions) && extensions[TASKS_EXTENSION] !== undefined;
}

export function missingTasksCapability(what: string): McpError {
  return new McpError(
    MISSING_CLIENT_CAPABILITY,
    `${what} needs the client capability extensions["${TASKS_EXTENSION}"]`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  );
}

/** Binds a task to who created it; principals are digested so the store holds no tokens. */
export function ownerOf(scope: RequestScope): Promise<string> {
  return digest({ principal: principalOf(scope.auth) });
}

/** The Task fields as the wire shows them (ISO times); no result, error or inputRequests. */
export function taskFields(record: TaskRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    taskId: record.taskId,
    status: record.status,
    createdAt: new Date(record.createdAt).toISOString(),
    lastUpdatedAt: new Date(record.lastUpdatedAt).toISOString(),
    ttlMs: record.ttlMs,
    pollIntervalMs: record.pollIntervalMs,
  };
  if (record.statusMessage !== undefined) fields.statusMessage = record.statusMessage;
  return fields;
}

/** The DetailedTask of tasks/get and notifications/tasks: the fields, and what goes with the status. */
export function detailedTask(record: TaskRecord): Record<string, unknown> {
  const detailed = taskFields(record);
  if (record.status === "input_required" && record.inputRequests) {
    detailed.inputRequests = record.inputRequests;
  }
  if (record.status === "completed" && record.result) detailed.result = record.result;
  if (record.status === "failed" && record.error) detailed.error = record.error;
  return detailed;
}

/**
 * Changes a task in the store (the source of truth, shared by every
 * process) and, when the change applied, tells its listeners the new state.
 */
export async function changeTask(
  core: ServerCore,
  taskId: string,
  change: TaskChange,
): Promise<TaskRecord | undefined> {
  let applied = false;
  const record = await core.taskStore.update(taskId, (current) => {
    const patch = change(current);
    // A shared store may call `change` again after a conflict: the last call counts.
    applied = patch !== undefined;
    return patch;
  });
  if (record && applied) {
    const message: TaskMessage = { kind: "status", task: detailedTask(record) };
    await core.bus.publish(taskTopic(core, taskId), message);
  }
  return record;
}
