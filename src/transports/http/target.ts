/**
 * Methods that act on one named thing, and the parameter that names it: the
 * tool or prompt's `name`, the resource's `uri`, the task's `taskId` (the
 * tasks extension's routing rule). 2026-07-28 clients mirror it in the
 * `Mcp-Name` header. A Map, not an object: the method is the client's, and
 * `constructor` or `toString` must find nothing.
 */
const TARGET_PARAM: ReadonlyMap<string, TargetParam> = new Map<string, TargetParam>([
  ["tools/call", "name"],
  ["prompts/get", "name"],
  ["resources/read", "uri"],
  ["tasks/get", "taskId"],
  ["tasks/update", "taskId"],
  ["tasks/cancel", "taskId"],
]);

type TargetParam = "name" | "uri" | "taskId";

/** The parameter naming the target of `method`, or undefined when it has none. */
export function targetParam(method: string): TargetParam | undefined {
  return TARGET_PARAM.get(method);
}

/**
 * Notes on the exchange the method a message carries and the target it
 * names, for the access log: two field writes, no copy, no second parse.
 */
export function noteMessage(
  ex: { mcpMethod?: string | undefined; mcpTarget?: string | undefined },
  message: Readonly<Record<string, unknown>>,
  params: Readonly<Record<string, unknown>> | undefined,
): void {
  const method = message.method;
  // A client's answer to a server-to-client request has no method.
  if (typeof method !== "string") return;
  ex.mcpMethod = method;
  const key = TARGET_PARAM.get(method);
  const target = key === undefined ? undefined : params?.[key];
  if (typeof target === "string") ex.mcpTarget = target;
}
