import type { ResolvedSettings } from "../core.js";
import type { Logger } from "../logger.js";
import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { TaskRecord } from "../state/tasks.js";

/** What a `failed` task stores: the JSON-RPC error (the spec's MUST) and a status message (its SHOULD). */
export interface TaskFailure {
  readonly status: "failed";
  readonly statusMessage: string;
  readonly error: NonNullable<TaskRecord["error"]>;
  readonly inputRequests: undefined;
  readonly inputResponses: undefined;
}

function failure(statusMessage: string, error: TaskFailure["error"]): TaskFailure {
  return {
    status: "failed",
    statusMessage,
    error,
    inputRequests: undefined,
    inputResponses: undefined,
  };
}

/**
 * A task whose tool threw a protocol error, said as a tool error is said
 * (`Error executing tool <name>: …`): an `McpError` is the client's to read,
 * as the same call without a task would answer it; anything else is logged
 * and its message shown only when `maskErrorDetails` is off.
 */
export function toolFailure(
  tool: string,
  error: unknown,
  settings: Pick<ResolvedSettings, "maskErrorDetails">,
  logger: Logger,
): TaskFailure {
  if (error instanceof McpError) {
    return failure(`Error executing tool ${tool}: ${error.message}`, error.toJSON());
  }
  logger.error(`Task of tool "${tool}" failed`, error);
  if (settings.maskErrorDetails) {
    return failure(`Error executing tool ${tool}`, {
      code: ErrorCode.InternalError,
      message: "Internal error",
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure(`Error executing tool ${tool}: ${message}`, {
    code: ErrorCode.InternalError,
    message: `Internal error: ${message}`,
  });
}

/** The task was stored but its process could not listen for tasks/cancel and tasks/update. */
export const COULD_NOT_START: TaskFailure = failure("The server could not start the task", {
  code: ErrorCode.InternalError,
  message: "The task could not start",
});

/** The process running the task stopped renewing its lease: it died, or lost the store. */
export const PROCESS_STOPPED: TaskFailure = failure(
  "The server running this task stopped before it finished",
  { code: ErrorCode.InternalError, message: "The server running the task stopped" },
);

/** The process running the task shut down (SIGTERM, `close()`) before the work finished. */
export const SHUT_DOWN: TaskFailure = failure("The server shut down before the task finished", {
  code: ErrorCode.InternalError,
  message: "The server shut down",
});
