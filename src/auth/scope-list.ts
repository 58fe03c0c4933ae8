import type { AccessToken } from "./types.js";

/** RFC 6749's scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether a value is a list of scope names, as options and challenges need them. */
export function isScopeList(value: unknown): value is readonly string[] {
  return (
    Array.isArray(value) &&
    value.every((scope) => typeof scope === "string" && SCOPE_TOKEN.test(scope))
  );
}

/** Scopes of `required` the token does not grant; empty when it grants them all. */
export function missingScopes(token: AccessToken, required: readonly string[]): string[] {
  const missing: string[] = [];
  for (const scope of required) if (!token.scopes.includes(scope)) missing.push(scope);
  return missing;
}
