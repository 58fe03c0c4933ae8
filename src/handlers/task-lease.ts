import type { ServerCore } from "../core.js";
import { isTerminal, type TaskRecord } from "../state/tasks.js";
import { PROCESS_STOPPED, SHUT_DOWN } from "./task-failure.js";
import { changeTask } from "./task-state.js";

/** A task running in this process: what tasks/cancel and tasks/update reach, through the bus or the store. */
export interface LiveTask {
  readonly taskId: string;
  readonly controller: AbortController;
  /** Asks waiting for tasks/update, by key. */
  readonly waiting: Map<string, (response: Record<string, unknown>) => void>;
}

/** Why a task's signal aborts when tasks/cancel reaches it, by the bus or at a renewal. */
export function cancelledByClient(): Error {
  return new Error("The task was cancelled by the client");
}

/** Hands each waiting ask its answer, once: the bus and a renewal may both bring it. */
export function deliverAnswers(
  live: LiveTask,
  responses: Record<string, Record<string, unknown>>,
): void {
  for (const [key, response] of Object.entries(responses)) {
    const waiting = live.waiting.get(key);
    live.waiting.delete(key);
    waiting?.(response);
  }
}

/**
 * The tasks this server runs in this process, and their leases. One timer,
 * while any runs, renews every lease each third of `tasks.leaseMs`. A
 * renewal is also how the process catches what the bus may have lost
 * (pub/sub drops what is published while a subscriber reconnects): the
 * store says whether the task was cancelled, failed by another process, or
 * is gone, and keeps the answers tasks/update brought.
 */
export class RunningTasks {
  readonly #core: ServerCore;
  readonly #tasks = new Map<string, LiveTask>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #renewing = false;
  /** Who waits for no task to run here (a graceful drain, close()): each is told. */
  readonly #emptied = new Set<() => void>();

  constructor(core: ServerCore) {
    this.#core = core;
  }

  /** The lease a task gets now: the store's record carries it. */
  leaseFromNow(): number {
    return Date.now() + this.#core.settings.tasks.leaseMs;
  }

  has(taskId: string): boolean {
    return this.#tasks.has(taskId);
  }

  add(task: LiveTask): void {
    this.#tasks.set(task.taskId, task);
    if (this.#timer !== undefined) return;
    // Timers take at most 2^31 - 1 ms: a longer one fires at once, over and over.
    const every = Math.min(Math.floor(this.#core.settings.tasks.leaseMs / 3), MAX_TIMER_MS);
    this.#timer = setInterval(() => void this.renewAll(), every);
    // The work keeps the process alive while it matters; the lease alone must not.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  delete(taskId: string): void {
    this.#tasks.delete(taskId);
    if (this.#tasks.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const emptied of this.#emptied) emptied();
  }

  /** Renews every lease once; a tick that finds the last one still running skips. */
  async renewAll(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    try {
      const failed = (
        await Promise.allSettled([...this.#tasks.values()].map((task) => this.#renew(task)))
      ).filter((outcome) => outcome.status === "rejected");
      if (failed.length > 0) {
        const reason = (failed[0] as PromiseRejectedResult).reason;
        this.#core.logger.warn(`Could not renew the lease of ${failed.length} task(s)`, reason);
      }
    } finally {
      this.#renewing = false;
    }
  }

  async #renew(task: LiveTask): Promise<void> {
    let taken: Record<string, Record<string, unknown>> = {};
    const record = await this.#core.taskStore.update(task.taskId, (current) => {
      // A conflict runs this again on the newer record: only the last run's answers count.
      taken = {};
      for (const [key, response] of Object.entries(current.inputResponses ?? {}))
        if (task.waiting.has(key)) taken[key] = response;
      const patch: Partial<TaskRecord> = { leaseUntil: this.leaseFromNow() };
      if (current.inputResponses !== undefined) patch.inputResponses = undefined;
      return patch;
    });
    if (record === undefined) {
      task.controller.abort(new Error("The task is gone from the task store"));
    } else if (record.status === "completed") {
      // This process's work finished and stored it while the renewal ran: nothing to stop.
    } else if (record.status === "cancelled") {
      task.controller.abort(cancelledByClient());
    } else if (isTerminal(record.status)) {
      // Another process failed it (this one's lease had run out): nobody can read what it makes now.
      task.controller.abort(new Error(record.statusMessage ?? `The task is ${record.status}`));
    } else {
      deliverAnswers(task, taken);
    }
  }

  /** Resolves once no task runs here, or after `timeoutMs`, whichever comes first. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#tasks.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let emptied: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      emptied = resolve;
      this.#emptied.add(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    if (emptied) this.#emptied.delete(emptied);
  }

  /**
   * Fails every task still running here, then aborts its work: the process
   * is going, and a task left `working` would be polled until its lease ran
   * out. The status is written first, so the aborted work writes nothing;
   * then the runs get a moment to end (and unsubscribe) before the server
   * closes its stores.
   */
  async stopAll(): Promise<void> {
    const tasks = [...this.#tasks.values()];
    if (tasks.length === 0) return;
    // A shared store's sockets do not hold the process open (Redis's are unref'd), and at
    // this point of a shutdown nothing else may: without this the writes could be cut short.
    const keepAlive = setInterval(() => {}, 1000);
    await Promise.allSettled(
      tasks.map(async (task) => {
        try {
          await changeTask(this.#core, task.taskId, () => SHUT_DOWN);
        } catch (error) {
          this.#core.logger.error(`Task ${task.taskId}: could not store its failure`, error);
        }
        task.controller.abort(new Error("Server is shutting down"));
      }),
    );
    // The aborted runs still unsubscribe from the bus: let them, before the stores close.
    await this.drain(ABORTED_RUNS_MS).finally(() => clearInterval(keepAlive));
  }
}

/** How long `stopAll` waits for aborted runs to wind down; a handler ignoring its signal is left behind. */
const ABORTED_RUNS_MS = 1000;

const registries = new WeakMap<ServerCore, RunningTasks>();

/** The tasks this server runs in this process (one registry per server, made on first use). */
export function runningTasks(core: ServerCore): RunningTasks {
  let running = registries.get(core);
  if (running === undefined) {
    running = new RunningTasks(core);
    registries.set(core, running);
  }
  return running;
}

function leaseLost(record: TaskRecord, now: number): boolean {
  return !isTerminal(record.status) && record.leaseUntil !== undefined && record.leaseUntil < now;
}

/**
 * A task as a read should see it: a working or input_required task whose
 * lease ran out has lost the process that ran it (it died, or cannot reach
 * the store), so it is failed here, through the store's compare-and-set
 * change, which checks the lease again on the record it swaps: two
 * processes reading at once agree, and an owner that renewed meanwhile wins.
 * A task this process runs is never failed here (its timer may just be late).
 */
export async function readTask(core: ServerCore, taskId: string): Promise<TaskRecord | undefined> {
  const record = await core.taskStore.get(taskId);
  if (record === undefined || !leaseLost(record, Date.now())) return record;
  if (registries.get(core)?.has(taskId)) return record;
  return changeTask(core, taskId, (current) =>
    leaseLost(current, Date.now()) ? PROCESS_STOPPED : undefined,
  );
}

const MAX_TIMER_MS = 2 ** 31 - 1;
