import { isRecord } from "../protocol/meta.js";
import type { Middleware, Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import type {
  CallToolResult,
  GetPromptResult,
  PromptDefinition,
  ReadResourceResult,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
} from "../protocol/types.js";
import { checkKnownKeys, type KeyList } from "../util/known-keys.js";

/** A `tools/call` as a hook sees it. */
export interface ToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly request: RequestScope;
}

/** A `resources/read` as a hook sees it. */
export interface ResourceRead {
  readonly uri: string;
  readonly request: RequestScope;
}

/** A `prompts/get` as a hook sees it. */
export interface PromptGet {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly request: RequestScope;
}

/** A list request (`tools/list` and the others) as a hook sees it: one page of it. */
export interface ListRequest {
  readonly request: RequestScope;
}

/**
 * Hooks around one kind of request, for `mcp.use({...})`. Each gets the
 * request and `next`; what it returns is the answer. `next` may be given
 * changed arguments. A list hook gets the page's items (shared with other
 * callers: never mutate them, return a new array) and returns the items to
 * send, so it can hide a component from one caller.
 */
export interface Hooks {
  onCallTool?(
    call: ToolCall,
    next: (args?: Readonly<Record<string, unknown>>) => Promise<CallToolResult>,
  ): Promise<CallToolResult>;
  onReadResource?(
    read: ResourceRead,
    next: () => Promise<ReadResourceResult>,
  ): Promise<ReadResourceResult>;
  onGetPrompt?(
    get: PromptGet,
    next: (args?: Readonly<Record<string, unknown>>) => Promise<GetPromptResult>,
  ): Promise<GetPromptResult>;
  onListTools?(
    list: ListRequest,
    next: () => Promise<readonly ToolDefinition[]>,
  ): Promise<readonly ToolDefinition[]>;
  onListResources?(
    list: ListRequest,
    next: () => Promise<readonly ResourceDefinition[]>,
  ): Promise<readonly ResourceDefinition[]>;
  onListResourceTemplates?(
    list: ListRequest,
    next: () => Promise<readonly ResourceTemplateDefinition[]>,
  ): Promise<readonly ResourceTemplateDefinition[]>;
  onListPrompts?(
    list: ListRequest,
    next: () => Promise<readonly PromptDefinition[]>,
  ): Promise<readonly PromptDefinition[]>;
}

const HOOK_KEYS = {
  onCallTool: true,
  onReadResource: true,
  onGetPrompt: true,
  onListTools: true,
  onListResources: true,
  onListResourceTemplates: true,
  onListPrompts: true,
} as const satisfies KeyList<Hooks>;

type Around = (request: RequestScope, next: () => Promise<Result>) => Promise<Result>;

/**
 * Turns hooks into one middleware, with a table of the methods that have a
 * hook, built once: a request of any other method costs one Map lookup.
 */
export function hooksMiddleware(hooks: Hooks): Middleware {
  checkKnownKeys(hooks, HOOK_KEYS, { owner: "use(hooks)" });
  for (const key of Object.keys(HOOK_KEYS) as (keyof Hooks)[]) {
    if (hooks[key] !== undefined && typeof hooks[key] !== "function")
      throw new TypeError(`use(hooks): ${key} must be a function`);
  }
  const table = new Map<string, Around>();
  const { onCallTool, onReadResource, onGetPrompt } = hooks;
  if (onCallTool) table.set("tools/call", aroundCall("name", onCallTool.bind(hooks)));
  if (onGetPrompt) table.set("prompts/get", aroundCall("name", onGetPrompt.bind(hooks)));
  if (onReadResource) {
    const hook = onReadResource.bind(hooks);
    table.set("resources/read", (request, next) => {
      const uri = request.params.uri;
      if (typeof uri !== "string") return next(); // the handler says what is wrong
      return passingRounds(
        (through) =>
          hook({ uri, request }, through as unknown as () => Promise<ReadResourceResult>),
        next,
      );
    });
  }
  const lists: ReadonlyArray<readonly [keyof Hooks, string, string]> = [
    ["onListTools", "tools/list", "tools"],
    ["onListResources", "resources/list", "resources"],
    ["onListResourceTemplates", "resources/templates/list", "resourceTemplates"],
    ["onListPrompts", "prompts/list", "prompts"],
  ];
  for (const [key, method, field] of lists) {
    const hook = hooks[key] as ListHook | undefined;
    if (hook) table.set(method, aroundList(field, hook.bind(hooks)));
  }
  return (request, next) => {
    const around = table.get(request.method);
    return around === undefined ? next() : around(request, next);
  };
}

type CallHook = (
  call: { name: string; arguments: Record<string, unknown>; request: RequestScope },
  next: (args?: Readonly<Record<string, unknown>>) => Promise<never>,
) => Promise<unknown>;

function aroundCall(nameKey: "name", hook: CallHook): Around {
  return (request, next) => {
    const params = request.params;
    const name = params[nameKey];
    const args = params.arguments;
    // Malformed requests go on to the handler, which answers them with its own error.
    if (typeof name !== "string" || (args !== undefined && !isRecord(args))) return next();
    const call = { name, arguments: args ?? {}, request };
    return passingRounds(
      (through) =>
        hook(call, (changed) => {
          if (changed !== undefined && changed !== call.arguments) {
            if (!isRecord(changed)) throw new TypeError("next(args): args must be an object");
            const copy = Object.assign({}, params);
            copy.arguments = changed;
            // The scope is this request's own object; handlers read params from it.
            (request as { params: Record<string, unknown> }).params = copy;
          }
          return through() as Promise<never>;
        }),
      next,
    );
  };
}

type ListHook = (
  list: ListRequest,
  next: () => Promise<readonly unknown[]>,
) => Promise<readonly unknown[]>;

function aroundList(field: string, hook: ListHook): Around {
  return async (request, next) => {
    let page: Result | undefined;
    const items = await hook({ request }, async () => {
      page = await next();
      const listed = page[field];
      return Array.isArray(listed) ? listed : [];
    });
    if (!Array.isArray(items))
      throw new TypeError(`A list hook must return an array of ${field}, got ${typeof items}`);
    // The hook kept the list as it was: the shared page (and its stored JSON) goes out.
    if (page !== undefined && items === page[field]) return page;
    const out: Result = Object.assign({}, page ?? {});
    out[field] = items;
    return out;
  };
}

/** Marks a 2026-07-28 `input_required` answer travelling up through a hook's `next`. */
class RoundPassing extends Error {
  override readonly name = "RoundPassing";
}

/**
 * Runs a hook, except that a 2026-07-28 `input_required` answer from below
 * is not the hook's to change: `next` throws to unwind the hook and the
 * answer goes out as it was, whatever the hook did with the throw.
 */
async function passingRounds(
  run: (through: () => Promise<Result>) => Promise<unknown>,
  next: () => Promise<Result>,
): Promise<Result> {
  let round: Result | undefined;
  const through = async (): Promise<Result> => {
    const result = await next();
    if (result.resultType !== "input_required") return result;
    round = result;
    throw new RoundPassing("input_required");
  };
  try {
    const out = await run(through);
    if (round !== undefined) return round;
    if (!isRecord(out)) throw new TypeError("A hook must return a result object");
    return out;
  } catch (error) {
    if (round !== undefined) return round;
    throw error;
  }
}
