import { bytesToBase64Url } from "../util/base64.js";

/** The statuses of the tasks extension (io.modelcontextprotocol/tasks). */
export type TaskStatus = "working" | "input_required" | "completed" | "failed" | "cancelled";

const TERMINAL: ReadonlySet<TaskStatus> = new Set(["completed", "failed", "cancelled"]);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * One task as stored. Plain JSON on purpose: a shared store (Redis) keeps it
 * as a string, and a task started on one process is read on another.
 */
export interface TaskRecord {
  readonly taskId: string;
  /** Digest of the principal that created it; every tasks/* request must match. */
  readonly owner: string;
  status: TaskStatus;
  statusMessage?: string;
  /** Epoch milliseconds (the wire carries ISO strings). */
  readonly createdAt: number;
  lastUpdatedAt: number;
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  /** Open asks, by key, while `input_required`. */
  inputRequests?: Record<string, Record<string, unknown>>;
  /**
   * Answers from tasks/update not yet taken by the running handler, by key.
   * Kept here as well as sent on the bus, so an answer the bus lost (a Redis
   * reconnect) still reaches the handler at its next lease renewal.
   */
  inputResponses?: Record<string, Record<string, unknown>>;
  /**
   * Epoch milliseconds until which the process running the task vouches for
   * it; it renews the lease while the work runs. A working task whose lease
   * ran out has lost its process, and the next read fails it.
   */
  leaseUntil?: number;
  /** The request's result, when `completed`. */
  result?: Record<string, unknown>;
  /** The JSON-RPC error, when `failed`. */
  error?: { code: number; message: string; data?: unknown };
}

/** What `update` may change; `taskId`, `owner` and the times are the store's. */
export type TaskChange = (
  record: TaskRecord,
) => Partial<Omit<TaskRecord, "taskId" | "owner" | "createdAt" | "ttlMs">> | undefined;

/**
 * Where tasks live between the tools/call that creates one and the polls
 * that read it. The in-memory default serves one process; a shared
 * implementation lets any process answer tasks/get.
 */
export interface TaskStore {
  /** Stores a new task; resolves once a `get` of it would find it (the spec's durable create). */
  create(record: TaskRecord): Promise<void>;
  /** The task, or undefined when unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Applies `change` to the current record, atomically as far as the store
   * can, and stamps `lastUpdatedAt` unless the patch holds only bookkeeping
   * (`leaseUntil`, `inputResponses`). A terminal task never changes: `change`
   * is not called and the record is returned as it is. Undefined when the
   * task is unknown or expired.
   */
  update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined>;
  /** Optional readiness check, as on the other stores. */
  ping?(): Promise<void>;
}

/**
 * Fields a server changes for its own bookkeeping: a patch of only these
 * (a lease renewal, answers taken) is not an update of the task, so its
 * `lastUpdatedAt` stays. Every store applies this rule.
 */
const BOOKKEEPING: ReadonlySet<string> = new Set(["leaseUntil", "inputResponses"]);

/** True when the patch changes what a client sees of the task, so `lastUpdatedAt` moves. */
export function updatesTask(patch: object): boolean {
  for (const key of Object.keys(patch)) if (!BOOKKEEPING.has(key)) return true;
  return false;
}

/** 128 random bits: task ids are bearer handles, so they must not be guessable. */
export function newTaskId(): string {
  // WebCrypto (global in Node, Bun, Deno and Workers): the core imports no node: module.
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export interface MemoryTaskStoreOptions {
  /** Most tasks kept at once. Default 10 000. */
  maxTasks?: number;
}

/** The store is full of tasks that are still running; the request fails rather than evicting one. */
export class TaskStoreFull extends Error {
  override readonly name = "TaskStoreFull";
  constructor(max: number) {
    super(`Too many tasks (${max}) are running; try again later`);
  }
}

/**
 * In-memory tasks, bounded: an expired task is dropped when touched and by
 * a sweep on each create; when full, the oldest finished task makes room,
 * and with none finished a create fails (a running task is never dropped
 * before its TTL: the spec forbids early expiry).
 */
export class MemoryTaskStore implements TaskStore {
  // Insertion order is creation order, which the eviction below relies on.
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #max: number;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.#max = options.maxTasks ?? 10_000;
  }

  get size(): number {
    return this.#tasks.size;
  }

  async create(record: TaskRecord): Promise<void> {
    if (this.#tasks.size >= this.#max) this.#makeRoom();
    this.#tasks.set(record.taskId, structuredClone(record));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const record = this.#live(taskId);
    // Copies out, so a caller's changes reach the store only through update().
    return record && structuredClone(record);
  }

  async update(taskId: string, change: TaskChange): Promise<TaskRecord | undefined> {
    const record = this.#live(taskId);
    if (!record) return undefined;
    if (!isTerminal(record.status)) {
      const patch = change(structuredClone(record));
      if (patch) {
        Object.assign(record, structuredClone(patch));
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) delete (record as unknown as Record<string, unknown>)[key];
        }
        if (updatesTask(patch)) record.lastUpdatedAt = Date.now();
      }
    }
    return structuredClone(record);
  }

  #live(taskId: string): TaskRecord | undefined {
    const record = this.#tasks.get(taskId);
    if (record && expired(record, Date.now())) {
      this.#tasks.delete(taskId);
      return undefined;
    }
    return record;
  }

  #makeRoom(): void {
    const now = Date.now();
    for (const [id, record] of this.#tasks) if (expired(record, now)) this.#tasks.delete(id);
    if (this.#tasks.size < this.#max) return;
    for (const [id, record] of this.#tasks) {
      if (isTerminal(record.status)) {
        this.#tasks.delete(id);
        return;
      }
    }
    throw new TaskStoreFull(this.#max);
  }
}

function expired(record: TaskRecord, now: number): boolean {
  return record.createdAt + record.ttlMs <= now;
}
