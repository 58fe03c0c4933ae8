import { isScopeList } from "../auth/scope-list.js";
import type { AccessToken } from "../auth/types.js";
import type { Component, ComponentRegistry } from "./registry.js";

/** What every kind of component may declare: the OAuth scopes a caller needs to see and use it. */
export interface Scoped extends Component {
  readonly options: { readonly scopes?: readonly string[] | undefined };
}

/** Checks a component's `scopes` option at registration. */
export function checkScopes(scopes: unknown, owner: string): void {
  if (scopes === undefined) return;
  if (!isScopeList(scopes))
    throw new TypeError(
      `${owner}: scopes must be a list of scope names (printable ASCII without spaces, quotes or backslashes), e.g. scopes: ["files:write"]`,
    );
}

/**
 * Whether a caller sees a component. Without authentication (stdio,
 * in-process calls, a server with no token verifier) everything is visible:
 * stdio is never put behind auth.
 */
export function grants(auth: unknown, scopes: readonly string[] | undefined): boolean {
  if (scopes === undefined || scopes.length === 0 || auth === undefined) return true;
  const granted = (auth as Partial<AccessToken>).scopes;
  return Array.isArray(granted) && scopes.every((scope) => granted.includes(scope));
}

/** One registry's scopes, gathered once per revision. */
interface Gathered {
  readonly revision: number;
  readonly scopes: readonly string[];
}
const gathered = new WeakMap<object, Gathered>();

/**
 * The caller's view of a registry for list caching: `key` names the set of
 * granted scopes that matter to it (so pages are cached per scope set, not
 * per token), `visible` filters. With no scoped component both are trivial.
 */
export function viewOf<T extends Scoped>(
  registry: ComponentRegistry<T>,
  auth: unknown,
): { readonly key: string; readonly visible: ((item: T) => boolean) | undefined } {
  let entry = gathered.get(registry);
  if (entry === undefined || entry.revision !== registry.revision) {
    const scopes = new Set<string>();
    for (const item of registry.enabled())
      for (const scope of item.options.scopes ?? []) scopes.add(scope);
    entry = { revision: registry.revision, scopes: [...scopes].sort() };
    gathered.set(registry, entry);
  }
  if (entry.scopes.length === 0 || auth === undefined) return ALL;
  const granted = (auth as Partial<AccessToken>).scopes ?? [];
  const key = entry.scopes.filter((scope) => granted.includes(scope)).join(" ");
  return { key: `scopes:${key}`, visible: (item) => grants(auth, item.options.scopes) };
}

const ALL = { key: "", visible: undefined };

/** The items a view shows: all of them (the same array, no copy) when nothing is scoped. */
export function visibleOf<T>(
  items: readonly T[],
  visible: ((item: T) => boolean) | undefined,
): readonly T[] {
  return visible === undefined ? items : items.filter(visible);
}
