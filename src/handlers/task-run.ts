import type { Tool } from "../components/tool.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import { McpError } from "../protocol/errors.js";
import type { AskSlot, InputChannel, InputMethod } from "../protocol/input-channel.js";
import { isRecord } from "../protocol/meta.js";
import { principalOf } from "../protocol/mrtr.js";
import { digest } from "../protocol/request-state.js";
import type { RequestScope } from "../protocol/scope.js";
import { newTaskId, type TaskRecord, type TaskStore } from "../state/tasks.js";

/** The extension's id, in capabilities on both sides. */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** -32021: the request needs a client capability it did not declare (SEP-2575). */
export const MISSING_CLIENT_CAPABILITY = -32021;

/** A task running in this process: what tasks/cancel and tasks/update reach. */
interface LiveTask {
  readonly controller: AbortController;
  /** Asks waiting for tasks/update, by key. */
  readonly waiting: Map<string, (response: Record<string, unknown>) => void>;
}

interface TaskHost {
  readonly store: TaskStore;
  readonly live: Map<string, LiveTask>;
}

const hosts = new WeakMap<ServerCore, TaskHost>();

/** Per server: its store and its running tasks. */
export function taskHost(core: ServerCore): TaskHost {
  let host = hosts.get(core);
  if (!host) {
    host = { store: core.taskStore, live: new Map() };
    hosts.set(core, host);
  }
  return host;
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

/**
 * Creates the task, starts the tool in the background and answers the
 * CreateTaskResult. The record is stored before the answer (the spec's
 * durable create), so an immediate tasks/get finds it.
 */
export async function startTask(
  scope: RequestScope,
  core: ServerCore,
  tool: Tool,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const host = taskHost(core);
  const now = Date.now();
  const record: TaskRecord = {
    taskId: newTaskId(),
    owner: await ownerOf(scope),
    status: "working",
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: core.settings.tasks.ttlMs,
    pollIntervalMs: core.settings.tasks.pollIntervalMs,
  };
  await host.store.create(record);
  const live: LiveTask = { controller: new AbortController(), waiting: new Map() };
  host.live.set(record.taskId, live);
  void run(scope, core, tool, args, record.taskId, live).finally(() =>
    host.live.delete(record.taskId),
  );
  return { resultType: "task", ...taskFields(record) };
}

async function run(
  scope: RequestScope,
  core: ServerCore,
  tool: Tool,
  args: Record<string, unknown>,
  taskId: string,
  live: LiveTask,
): Promise<void> {
  const { store } = taskHost(core);
  // The request ends with the CreateTaskResult; the task's work outlives it,
  // so it gets a scope of its own: its own signal (tasks/cancel), asks that
  // park the task (tasks/update answers them), progress as the status message
  // (the spec sends no notifications/progress for tasks).
  const taskScope: RequestScope = {
    id: scope.id,
    method: scope.method,
    params: scope.params,
    era: scope.era,
    protocolVersion: scope.protocolVersion,
    clientInfo: scope.clientInfo,
    clientCapabilities: scope.clientCapabilities,
    minLogRank: Number.POSITIVE_INFINITY,
    progressToken: "task",
    session: scope.session,
    http: scope.http,
    auth: scope.auth,
    signal: live.controller.signal,
    input: taskInput(store, taskId, live),
    readResource: scope.readResource,
    notify: async (method, params) => {
      if (method !== "notifications/progress" || !isRecord(params)) return;
      const message = typeof params.message === "string" ? params.message : undefined;
      if (message !== undefined) await store.update(taskId, () => ({ statusMessage: message }));
    },
  };
  try {
    const result = await tool.call(
      args,
      new Context(taskScope, core.lifespan),
      core.settings,
      core.logger,
    );
    await store.update(taskId, () => ({
      status: "completed",
      result: result as unknown as Record<string, unknown>,
      inputRequests: undefined,
    }));
  } catch (error) {
    if (live.controller.signal.aborted) return; // cancelled: the status says so already
    const rpc =
      error instanceof McpError
        ? error.toJSON()
        : {
            code: -32603,
            message: core.settings.maskErrorDetails
              ? "Internal error"
              : error instanceof Error
                ? error.message
                : String(error),
          };
    await store.update(taskId, () => ({ status: "failed", error: rpc, inputRequests: undefined }));
  }
}

const SHORT: Readonly<Record<InputMethod, string>> = {
  "elicitation/create": "elicit",
  "sampling/createMessage": "sample",
  "roots/list": "roots",
};

/**
 * ctx.elicit / ctx.sample inside a task: each ask gets a key unique for the
 * task's life, parks the task in `input_required` with the ask among its
 * `inputRequests`, and waits for tasks/update to bring the answer.
 */
function taskInput(store: TaskStore, taskId: string, live: LiveTask): InputChannel {
  let position = 0;
  return {
    reserve(): AskSlot {
      position += 1;
      const key = position;
      return {
        ask: async (method, params) => {
          const name = `${SHORT[method]}-${key}`;
          const request: Record<string, unknown> =
            params === undefined ? { method } : { method, params };
          const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
            live.waiting.set(name, resolve);
            live.controller.signal.addEventListener(
              "abort",
              () => reject(live.controller.signal.reason),
              {
                once: true,
              },
            );
          });
          await store.update(taskId, (record) => ({
            status: "input_required",
            inputRequests: { ...record.inputRequests, [name]: request },
          }));
          return answer;
        },
        release: () => {},
      };
    },
  };
}
