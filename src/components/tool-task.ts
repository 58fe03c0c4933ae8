import { checkKnownKeys, type KeyList } from "../util/known-keys.js";

/** How a tool runs as a task: for clients that declare the extension, or always. */
export type TaskMode = "optional" | "required";

export interface TaskConfig {
  mode: TaskMode;
  /**
   * The handler starts inside the tools/call, so its `ctx.elicit`/`ctx.sample`
   * are ordinary input rounds of the call, and the task begins where it calls
   * `ctx.runAsTask()` (the spec's "multi round-trip requests, then a task").
   * Default false: the task begins before the handler runs.
   */
  inputFirst?: boolean;
}

const TASK_MODES: readonly unknown[] = ["optional", "required"];
const TASK_CONFIG_KEYS = { mode: true, inputFirst: true } satisfies KeyList<TaskConfig>;

export function checkTaskMode(task: unknown, name: string): void {
  if (task === undefined || TASK_MODES.includes(task)) return;
  const owner = `Tool "${name}"`;
  if (typeof task !== "object" || task === null || Array.isArray(task))
    throw new TypeError(
      `${owner}: task must be "optional", "required" or { mode, inputFirst } (or left out: never a task), got ${JSON.stringify(task)}`,
    );
  checkKnownKeys(task, TASK_CONFIG_KEYS, { owner, path: "task." });
  const { mode, inputFirst } = task as TaskConfig;
  if (!TASK_MODES.includes(mode))
    throw new TypeError(
      `${owner}: task.mode must be "optional" or "required", got ${JSON.stringify(mode)}`,
    );
  if (inputFirst !== undefined && typeof inputFirst !== "boolean")
    throw new TypeError(
      `${owner}: task.inputFirst must be a boolean, got ${JSON.stringify(inputFirst)}`,
    );
}

/** The tool's task mode and config, or undefined for a tool that is never a task. */
export function taskConfigOf(tool: {
  options: { task?: TaskMode | TaskConfig };
}): TaskConfig | undefined {
  const task = tool.options.task;
  return typeof task === "string" ? { mode: task } : task;
}
