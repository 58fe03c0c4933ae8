import { grants, viewOf, visibleOf } from "../components/scopes.js";
import { taskConfigOf } from "../components/tool-task.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import { traceOf } from "../protocol/engine-scope.js";
import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { RequestScope } from "../protocol/scope.js";
import type { CallToolResult } from "../protocol/types.js";
import { versionAtLeast } from "../protocol/versions.js";
import { clip } from "../util/echo.js";
import { ListCache } from "./list-cache.js";
import { page } from "./pages.js";
import { runInputFirst } from "./task-escalate.js";
import { startTask } from "./task-run.js";
import { missingTasksCapability, optedIn } from "./task-state.js";

const pages = new WeakMap<ServerCore, ListCache>();

export function listTools(scope: RequestScope, core: ServerCore): Record<string, unknown> {
  let cache = pages.get(core);
  if (!cache) {
    cache = new ListCache();
    pages.set(core, cache);
  }
  const version = scope.protocolVersion;
  const { cursor } = scope.params;
  const view = viewOf(core.tools, scope.auth);
  return cache.get(
    String(core.tools.revision),
    version,
    cursor,
    () =>
      page(
        "tools",
        visibleOf(core.tools.enabled(), view.visible).map((tool) => tool.definition(version)),
        cursor,
        core.settings.pageSize,
      ),
    view.key,
    traceOf(scope),
  );
}

export async function callTool(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const { name, arguments: args } = scope.params;
  if (typeof name !== "string")
    throw new McpError(ErrorCode.InvalidParams, 'tools/call: "name" must be a string');
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
    throw new McpError(ErrorCode.InvalidParams, 'tools/call: "arguments" must be an object');
  }
  const tool = core.tools.get(name);
  // A tool the caller's token may not use is, for the caller, no tool at all
  // (over HTTP the endpoint answers 403 before this point).
  if (!tool || !grants(scope.auth, tool.options.scopes)) {
    const shown = clip(name);
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${shown}`, { name: shown });
  }
  const task = scope.era === "modern" ? taskConfigOf(tool) : undefined;
  if (task !== undefined) {
    if (optedIn(scope)) {
      const taskArgs = (args ?? {}) as Record<string, unknown>;
      if (!task.inputFirst) return startTask(scope, core, tool, taskArgs);
      const outcome = await runInputFirst(scope, core, tool, taskArgs);
      return "task" in outcome ? outcome.task : forVersion(outcome.call, scope);
    }
    if (task.mode === "required") throw missingTasksCapability(`The tool ${clip(name)}`);
  }
  const ctx = new Context(scope, core.lifespan);
  const result = await tool.call(args ?? {}, ctx, core.settings, core.logger, traceOf(scope));
  return forVersion(result, scope);
}

/** `structuredContent` exists from 2025-06-18 on; older clients get the text only. */
function forVersion(result: CallToolResult, scope: RequestScope): Record<string, unknown> {
  if (
    result.structuredContent !== undefined &&
    !versionAtLeast(scope.protocolVersion, "2025-06-18")
  ) {
    const { structuredContent: _dropped, ...rest } = result;
    return rest as Record<string, unknown>;
  }
  return result as unknown as Record<string, unknown>;
}
