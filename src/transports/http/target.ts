/**
 * Methods that act on one named thing, and the parameter that names it: the
 * tool or prompt's `name`, the resource's `uri`. 2026-07-28 clients mirror it
 * in the `Mcp-Name` header.
 */
export const TARGET_PARAM: Readonly<Record<string, "name" | "uri">> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
};
