import type { Tool } from "../components/tool.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import type { RequestScope } from "../protocol/scope.js";
import type { CallToolResult } from "../protocol/types.js";
import { createTask, createTaskResult, type NewTask, settleTask, taskScope } from "./task-run.js";

/**
 * A request scope that becomes a task's scope when the handler calls
 * `ctx.runAsTask()`: until then every field is the request's (asks are
 * rounds of the tools/call), afterwards the task's (its signal, asks that
 * park the task, progress as its status message). Context reads the scope
 * on every use, so the switch reaches a handler that is already running.
 */
class EscalatingScope implements RequestScope {
  #current: RequestScope;
  readonly runAsTask: () => Promise<boolean>;

  constructor(request: RequestScope, runAsTask: () => Promise<boolean>) {
    this.#current = request;
    this.runAsTask = runAsTask;
  }

  become(scope: RequestScope): void {
    this.#current = scope;
  }

  get id() {
    return this.#current.id;
  }
  get method() {
    return this.#current.method;
  }
  get params() {
    return this.#current.params;
  }
  get era() {
    return this.#current.era;
  }
  get protocolVersion() {
    return this.#current.protocolVersion;
  }
  get clientInfo() {
    return this.#current.clientInfo;
  }
  get clientCapabilities() {
    return this.#current.clientCapabilities;
  }
  get minLogRank() {
    return this.#current.minLogRank;
  }
  get progressToken() {
    return this.#current.progressToken;
  }
  get session() {
    return this.#current.session;
  }
  get http() {
    return this.#current.http;
  }
  get auth() {
    return this.#current.auth;
  }
  get signal() {
    return this.#current.signal;
  }
  get input() {
    return this.#current.input;
  }
  get waitUntil() {
    return this.#current.waitUntil;
  }
  get closeSSEStream() {
    return this.#current.closeSSEStream;
  }
  notify(method: string, params: Record<string, unknown>): Promise<void> {
    return this.#current.notify(method, params);
  }
  readResource(uri: string) {
    return this.#current.readResource(uri);
  }
}

/**
 * A tool with `task: { inputFirst: true }` called by a client that takes
 * tasks: the handler starts in the request, so its asks are plain rounds
 * (`input_required` + `requestState`), and the call answers with a
 * CreateTaskResult only when the handler calls `ctx.runAsTask()` (the spec's
 * "resolve MRTR exchanges synchronously, then create the task"). A handler
 * that returns without calling it answers the call directly, which the spec
 * allows for task tools.
 */
export async function runInputFirst(
  scope: RequestScope,
  core: ServerCore,
  tool: Tool,
  args: Record<string, unknown>,
): Promise<{ task: Record<string, unknown> } | { call: CallToolResult }> {
  let task: Promise<NewTask> | undefined;
  let announce: () => void = () => {};
  const escalated = new Promise<void>((resolve) => {
    announce = resolve;
  });
  const escalating = new EscalatingScope(scope, async () => {
    if (task === undefined) {
      task = createTask(scope, core);
      const created = await task;
      escalating.become(taskScope(scope, core, created));
      announce();
    } else {
      await task;
    }
    return true;
  });
  const work = tool.call(args, new Context(escalating, core.lifespan), core.settings, core.logger);
  const first = await Promise.race([work, escalated]);
  if (task === undefined) return { call: first as CallToolResult };
  // The task exists: from here its record, not this request, carries the outcome.
  const created = await task;
  settleTask(core, created, work, scope.waitUntil);
  return { task: createTaskResult(created.record) };
}
