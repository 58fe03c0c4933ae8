/**
 * Methods that act on one named thing, and the parameter that names it: the
 * tool or prompt's `name`, the resource's `uri`. 2026-07-28 clients mirror it
 * in the `Mcp-Name` header. A Map, not an object: the method is the client's,
 * and `constructor` or `toString` must find nothing.
 */
const TARGET_PARAM: ReadonlyMap<string, "name" | "uri"> = new Map([
  ["tools/call", "name"],
  ["prompts/get", "name"],
  ["resources/read", "uri"],
]);

/** The parameter naming the target of `method`, or undefined when it has none. */
export function targetParam(method: string): "name" | "uri" | undefined {
  return TARGET_PARAM.get(method);
}
