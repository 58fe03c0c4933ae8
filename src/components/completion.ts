import type { Context } from "../context.js";

/** What a completer is told besides the partial value. */
export interface CompletionContext {
  /** The other arguments (or template parameters) the user has already filled in. */
  readonly arguments: Readonly<Record<string, string>>;
}

/** Suggestions: a list, or a list with the total number of matches and whether more exist. */
export type CompletionValues =
  | readonly string[]
  | { readonly values: readonly string[]; readonly total?: number; readonly hasMore?: boolean };

/**
 * Suggests values for one prompt argument or resource template parameter as
 * the user types. `value` is what has been typed so far.
 */
export type Completer<L = unknown> = (
  value: string,
  context: CompletionContext,
  ctx: Context<L>,
) => CompletionValues | Promise<CompletionValues>;

/** Completers by argument name. */
export type Completers<K extends PropertyKey, L> = { readonly [P in K]?: Completer<L> };

/**
 * The completer for `name` in a component's `complete` option. Own keys only:
 * the name is the client's, and `constructor` or `toString` must find
 * nothing (then the answer is the empty completion), not Object.prototype's.
 */
export function completerFor(completers: object | undefined, name: string): Completer | undefined {
  if (completers === undefined || !Object.hasOwn(completers, name)) return undefined;
  return (completers as Readonly<Record<string, Completer>>)[name];
}

export interface Completion {
  values: string[];
  total: number;
  hasMore: boolean;
}

/** The protocol allows at most this many values per response. */
export const MAX_COMPLETION_VALUES = 100;

/** Caps the values at 100 and says how many there were, so clients know to keep typing. */
export function toCompletion(returned: CompletionValues, what: string): Completion {
  const list = Array.isArray(returned)
    ? (returned as readonly string[])
    : (returned as { values?: unknown }).values;
  if (!Array.isArray(list) || !list.every((value) => typeof value === "string")) {
    throw new TypeError(`${what}: a completer must return an array of strings or { values }`);
  }
  const extra = Array.isArray(returned)
    ? {}
    : (returned as { readonly total?: number; readonly hasMore?: boolean });
  const values = list.slice(0, MAX_COMPLETION_VALUES);
  const total = extra.total ?? list.length;
  const hasMore = extra.hasMore ?? total > values.length;
  return { values, total, hasMore };
}

export function checkCompleters(
  completers: Readonly<Record<string, unknown>> | undefined,
  known: readonly string[],
  what: string,
): void {
  if (completers === undefined) return;
  if (typeof completers !== "object" || completers === null)
    throw new TypeError(`${what}: "complete" must map argument names to functions`);
  for (const [name, completer] of Object.entries(completers)) {
    if (!known.includes(name))
      throw new TypeError(
        `${what}: cannot complete "${name}", which is not one of its arguments (${known.join(", ") || "none"})`,
      );
    if (typeof completer !== "function")
      throw new TypeError(`${what}: the completer for "${name}" must be a function`);
  }
}
