/**
 * A small client of the tasks extension over raw 2026-07-28 HTTP: neither
 * official SDK speaks it yet (the v2 client refuses `resultType: "task"` as
 * an unsupported result type), so the tests speak the wire themselves, with
 * the routing headers the spec requires (Mcp-Name = the tool or the task id).
 */
import { MODERN_HEADERS, MODERN_META, post } from "./http.ts";

export const TASKS_EXT = "io.modelcontextprotocol/tasks";

/** The wire's Task fields plus what tasks/get inlines; read loosely, asserted by the tests. */
export interface WireTask {
  resultType: string;
  taskId: string;
  status: string;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  inputRequests?: Record<string, { method: string; params?: Record<string, unknown> }>;
  result?: { content: { type: string; text?: string }[]; isError?: boolean } & Record<
    string,
    unknown
  >;
  error?: { code: number; message: string; data?: unknown };
}

/** Any 2026-07-28 result as the raw tests read it: the task's fields, and what other results carry. */
export interface WireResult extends Partial<WireTask> {
  requestState?: string;
  content?: { type: string; text?: string }[];
  capabilities?: { extensions?: Record<string, unknown> };
  tools?: ({ name: string } & Record<string, unknown>)[];
  [key: string]: unknown;
}

/** A JSON-RPC response body as the raw tests read it. */
export interface RpcBody {
  result?: WireResult;
  error?: { code: number; message: string; data?: unknown };
}

export interface RpcAnswer<T = Record<string, unknown>> {
  status: number;
  result?: T;
  error?: { code: number; message: string; data?: unknown };
}

export interface TasksClientOptions {
  /** A bearer token for every request. */
  token?: string;
  /** Declare the tasks extension on each request (default true). */
  optIn?: boolean;
  /** More client capabilities declared per request (elicitation, sampling). */
  capabilities?: Record<string, unknown>;
}

export class TasksClient {
  #nextId = 1;
  readonly #url: string;
  readonly #options: TasksClientOptions;

  constructor(url: string, options: TasksClientOptions = {}) {
    this.#url = url;
    this.#options = options;
  }

  async rpc<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown>,
    name?: string,
  ): Promise<RpcAnswer<T>> {
    const capabilities: Record<string, unknown> = { ...this.#options.capabilities };
    if (this.#options.optIn !== false) capabilities.extensions = { [TASKS_EXT]: {} };
    const headers: Record<string, string> = { ...MODERN_HEADERS, "mcp-method": method };
    if (name !== undefined) headers["mcp-name"] = name;
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    const meta = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": capabilities };
    const { status, body } = await post(
      this.#url,
      { jsonrpc: "2.0", id: this.#nextId++, method, params: { ...params, _meta: meta } },
      headers,
    );
    const answer = (body ?? {}) as { result?: T; error?: RpcAnswer["error"] };
    return { status, result: answer.result, error: answer.error };
  }

  /** tools/call: a CreateTaskResult (resultType "task") or the ordinary result. */
  call(name: string, args: Record<string, unknown> = {}): Promise<RpcAnswer<WireTask>> {
    return this.rpc<WireTask>("tools/call", { name, arguments: args }, name);
  }

  /**
   * tools/call as a 2026-07-28 input round: `input_required` (with its
   * requestState), a CreateTaskResult or the ordinary result. Pass the
   * previous round's answers and requestState to continue it.
   */
  round(
    name: string,
    args: Record<string, unknown> = {},
    previous:
      | { inputResponses: Record<string, unknown>; requestState: unknown }
      | undefined = undefined,
  ): Promise<RpcAnswer<WireResult>> {
    return this.rpc<WireResult>("tools/call", { name, arguments: args, ...previous }, name);
  }

  get(taskId: string): Promise<RpcAnswer<WireTask>> {
    return this.rpc<WireTask>("tasks/get", { taskId }, taskId);
  }

  update(taskId: string, inputResponses: Record<string, unknown>): Promise<RpcAnswer> {
    return this.rpc("tasks/update", { taskId, inputResponses }, taskId);
  }

  cancel(taskId: string): Promise<RpcAnswer> {
    return this.rpc("tasks/cancel", { taskId }, taskId);
  }

  /** Starts a task; fails the test when the server answered anything else. */
  async start(name: string, args: Record<string, unknown> = {}): Promise<WireTask> {
    const { result, error } = await this.call(name, args);
    if (result?.resultType !== "task") {
      throw new Error(`expected a task, got ${JSON.stringify(result ?? error)}`);
    }
    return result;
  }

  /**
   * Polls tasks/get as a client should (waiting the task's pollIntervalMs,
   * capped for tests) until `done` holds; a bounded number of polls, not a
   * time limit, ends a task that never gets there.
   */
  async until(
    taskId: string,
    done: (task: WireTask) => boolean,
    maxPolls = 400,
  ): Promise<WireTask> {
    let last: RpcAnswer<WireTask> | undefined;
    for (let i = 0; i < maxPolls; i++) {
      last = await this.get(taskId);
      if (last.result && done(last.result)) return last.result;
      if (last.error) break;
      await new Promise((r) => setTimeout(r, Math.min(last?.result?.pollIntervalMs ?? 20, 20)));
    }
    throw new Error(`task ${taskId} did not get there: ${JSON.stringify(last)}`);
  }

  /** Polls until a terminal status. */
  settled(taskId: string): Promise<WireTask> {
    return this.until(taskId, (t) => ["completed", "failed", "cancelled"].includes(t.status));
  }
}
