import type { Telemetry, TracedStore } from "../protocol/telemetry.js";
import {
  isTerminal,
  type TaskChange,
  type TaskRecord,
  type TaskStore,
  updatesTask,
} from "../state/tasks.js";
import type { RedisConnection } from "./connection.js";
import { script } from "./connection.js";

/**
 * Compare-and-set: the new record replaces the old only if the key still
 * holds exactly what the caller read, keeping the key's time to live.
 * Returns 1 when written, 0 when someone else wrote first, -1 when the task
 * is gone (expired). KEYS: task. ARGV: the JSON read, the JSON to write.
 */
const TASK_SWAP = script(
  "task_swap",
  `local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`,
);

/** Tries of one update before it gives up: each lost race means another write landed. */
const MAX_TRIES = 32;

/** Ids the store looks up; anything longer was never handed out (ids are 22 characters). */
const MAX_ID_LENGTH = 128;

/** Another writer kept winning: the update is refused rather than retried without end. */
export class TaskUpdateConflict extends Error {
  override readonly name = "TaskUpdateConflict";
}

/**
 * Tasks in Redis, one string key each (`<prefix>task:<id>`, the record as
 * JSON) that Redis expires when the task's TTL is up: Redis, not a sweep,
 * bounds what is kept, and any process sharing the Redis answers tasks/get.
 *
 * An update reads the record, applies the change in this process and writes
 * it back with a compare-and-set script, retrying (a bounded number of
 * times) when another process wrote in between; so `change` may run more
 * than once and must only compute its patch from the record it is given.
 * A script rather than WATCH/MULTI: WATCH needs a connection of its own per
 * update, the script needs one round trip on the shared one.
 */
export class RedisTaskStore implements TaskStore, TracedStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(connection: RedisConnection, prefix: string) {
    this.#connection = connection;
    this.#prefix = `${prefix}task:`;
  }

  /** Round trips become spans under the active request's (the server calls this; see `TracedStore`). */
  traceRoundTrips(telemetry: Telemetry): void {
    this.#connection.traceWith(telemetry);
  }

  async create(record: TaskRecord): Promise<void> {
    // The key lives as long as the task has left; SET answers only after Redis has it (durable create).
    const left = Math.max(1, Math.ceil(record.createdAt + record.ttlMs - Date.now()));
    const set = await this.#connection.command([
      "SET",
      this.#prefix + record.taskId,
      JSON.stringify(record),
      "PX",
      String(left),
      "NX",
    ]);
    if (set === null) throw new Error(`A task with the id ${record.taskId} exists already`);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const json = await this.#read(taskId);
    return json === undefined ? undefined : (JSON.parse(json) as TaskRecord);
  }

  async update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const json = await this.#read(taskId);
      if (json === undefined) return undefined;
      const record = JSON.parse(json) as TaskRecord;
      if (isTerminal(record.status)) return record;
      const patch = change(JSON.parse(json) as TaskRecord);
      if (!patch) return record;
      const next = applyPatch(record, patch);
      const swapped = await this.#connection.run(
        TASK_SWAP,
        [this.#prefix + taskId],
        [json, JSON.stringify(next)],
      );
      if (swapped === 1) return next;
      if (swapped === -1) return undefined;
    }
    throw new TaskUpdateConflict(
      `Task ${taskId} changed under ${MAX_TRIES} updates in a row; giving up`,
    );
  }

  /** Resolves when Redis answers. */
  async ping(): Promise<void> {
    await this.#connection.command(["PING"]);
  }

  async #read(taskId: string): Promise<string | undefined> {
    if (taskId.length === 0 || taskId.length > MAX_ID_LENGTH) return undefined;
    const json = await this.#connection.command(["GET", this.#prefix + taskId]);
    return typeof json === "string" ? json : undefined;
  }
}

/** The record with the patch applied: keys set to undefined are removed, the time stamped unless only bookkeeping changed. */
function applyPatch(record: TaskRecord, patch: ReturnType<TaskChange>): TaskRecord {
  const next = { ...record, ...patch } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === undefined) delete next[key];
  }
  if (patch && updatesTask(patch)) next.lastUpdatedAt = Date.now();
  return next as unknown as TaskRecord;
}
