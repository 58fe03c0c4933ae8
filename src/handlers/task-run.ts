import type { Tool } from "../components/tool.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import type { AskSlot, InputChannel, InputMethod } from "../protocol/input-channel.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import type { TaskTrace } from "../protocol/telemetry.js";
import { newTaskId, type TaskRecord } from "../state/tasks.js";
import { COULD_NOT_START, toolFailure } from "./task-failure.js";
import { cancelledByClient, deliverAnswers, type LiveTask, runningTasks } from "./task-lease.js";
import { changeTask, ownerOf, type TaskMessage, taskFields, taskTopic } from "./task-state.js";
import { settleTraced, traceTask } from "./task-trace.js";

/** A task just created in this process, before its work settles it. */
export interface NewTask {
  readonly record: TaskRecord;
  readonly live: LiveTask;
  /** The tool it runs, for its status message if it fails. */
  readonly tool: string;
  /** Stops listening on the task's topic, once the work has settled. */
  readonly stop: () => Promise<void>;
  /** The run's span, when the creating request's span records. */
  readonly trace?: TaskTrace | undefined;
}

/**
 * Stores a new task for this request's principal and registers it as live
 * here. Resolves once the store has it (the spec's durable create), so an
 * immediate tasks/get finds it.
 */
export async function createTask(scope: RequestScope, core: ServerCore): Promise<NewTask> {
  const now = Date.now();
  const running = runningTasks(core);
  const record: TaskRecord = {
    taskId: newTaskId(),
    owner: await ownerOf(scope),
    status: "working",
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: core.settings.tasks.ttlMs,
    pollIntervalMs: core.settings.tasks.pollIntervalMs,
    leaseUntil: now + core.settings.tasks.leaseMs,
  };
  await core.taskStore.create(record);
  const live: LiveTask = {
    taskId: record.taskId,
    controller: new AbortController(),
    waiting: new Map(),
  };
  // Listening before the CreateTaskResult goes out: a tasks/update or
  // tasks/cancel for it may land on any process sharing the store and bus.
  let unsubscribe: () => Promise<void>;
  try {
    unsubscribe = await core.bus.subscribe(taskTopic(core, record.taskId), (message) =>
      wake(live, message),
    );
  } catch (error) {
    // Nobody could reach the work: the task must not sit in `working` until its TTL.
    await changeTask(core, record.taskId, () => COULD_NOT_START).catch(
      () => {}, // the bus is what failed: the store has the status all the same
    );
    throw error;
  }
  running.add(live);
  const stop = async () => {
    try {
      await unsubscribe();
    } finally {
      running.delete(record.taskId); // last: a shutdown waits for this
    }
  };
  const tool = typeof scope.params.name === "string" ? scope.params.name : "";
  return { record, live, tool, stop, trace: traceTask(scope, core, record.taskId) };
}

function wake(live: LiveTask, received: unknown): void {
  if (!isRecord(received)) return; // a shared bus may carry anything
  const message = received as TaskMessage;
  if (message.kind === "cancel") {
    live.controller.abort(cancelledByClient());
  } else if (message.kind === "answers" && isRecord(message.responses)) {
    deliverAnswers(live, message.responses);
  }
}

/** The CreateTaskResult for a new task. */
export function createTaskResult(record: TaskRecord): Record<string, unknown> {
  return { resultType: "task", ...taskFields(record) };
}

/**
 * Creates the task, starts the tool in the background and answers the
 * CreateTaskResult.
 */
export async function startTask(
  scope: RequestScope,
  core: ServerCore,
  tool: Tool,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const task = await createTask(scope, core);
  const ctx = new Context(taskScope(scope, core, task), core.lifespan);
  const run = () => tool.call(args, ctx, core.settings, core.logger, task.trace?.trace);
  settleTask(core, task, task.trace ? task.trace.trace.run(run) : run(), scope.waitUntil);
  return createTaskResult(task.record);
}

/**
 * The scope the task's work runs in. The request ends with the
 * CreateTaskResult; the work outlives it, so it gets its own signal
 * (tasks/cancel), asks that park the task (tasks/update answers them), and
 * progress as the status message (the spec sends no notifications/progress
 * for tasks).
 */
export function taskScope(scope: RequestScope, core: ServerCore, task: NewTask): RequestScope {
  const { taskId } = task.record;
  return {
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
    waitUntil: scope.waitUntil,
    signal: task.live.controller.signal,
    input: task.trace
      ? task.trace.trace.channel(taskInput(core, taskId, task.live))
      : taskInput(core, taskId, task.live),
    readResource: scope.readResource,
    notify: async (method, params) => {
      if (method !== "notifications/progress" || !isRecord(params)) return;
      const message = typeof params.message === "string" ? params.message : undefined;
      if (message !== undefined) await changeTask(core, taskId, () => ({ statusMessage: message }));
    },
  };
}

/**
 * Settles the task from its work: completed with the result, failed with a
 * protocol error. The work outlives the request, so where the runtime stops
 * a request's pending work with its response (Workers), the whole run, up to
 * storing the outcome and unsubscribing, is handed to its `waitUntil`.
 */
export function settleTask(
  core: ServerCore,
  task: NewTask,
  work: Promise<unknown>,
  waitUntil: ((promise: Promise<unknown>) => void) | undefined,
): void {
  const { taskId } = task.record;
  const settling = task.trace
    ? settleTraced(task.trace, () => settle(core, task, work))
    : settle(core, task, work);
  const run = settling
    .catch((error: unknown) =>
      core.logger.error(`Task ${taskId}: could not store its outcome`, error),
    )
    .finally(() => task.stop());
  if (waitUntil === undefined) return;
  // workerd cancels a request whose pending work waits only on promises
  // (it takes them for a hang), and a task parked for input waits on a
  // promise that a later request (tasks/update) resolves: a timer keeps the
  // run visibly alive until it settles.
  const keeper = setInterval(() => {}, KEEP_ALIVE_MS);
  waitUntil(run.finally(() => clearInterval(keeper)));
}

/** How often a task's run under `waitUntil` wakes to stay alive; each wake does nothing. */
const KEEP_ALIVE_MS = 1000;

/** Waits for the work and stores its outcome; resolves with the task as stored then (if any). */
async function settle(
  core: ServerCore,
  task: NewTask,
  work: Promise<unknown>,
): Promise<TaskRecord | undefined> {
  const { taskId } = task.record;
  try {
    const result = await work;
    return await changeTask(core, taskId, () => ({
      status: "completed",
      result: result as Record<string, unknown>,
      inputRequests: undefined,
      inputResponses: undefined,
    }));
  } catch (error) {
    // Aborted: whoever aborted it (tasks/cancel, shutdown, a lost lease) has stored the status.
    if (task.live.controller.signal.aborted) return await core.taskStore.get(taskId);
    const failure = toolFailure(task.tool, error, core.settings, core.logger);
    return await changeTask(core, taskId, () => failure);
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
function taskInput(core: ServerCore, taskId: string, live: LiveTask): InputChannel {
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
          await changeTask(core, taskId, (record) => ({
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
