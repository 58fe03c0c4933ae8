/**
 * Options are checked at run time too: JavaScript users, `npx tsx` (which
 * does not type-check) and misspellings would otherwise be silently ignored,
 * and an ignored security option (`cors: { allowOrigins }`) leaves a server
 * open. One mechanism for every options object: the error names the key,
 * where it was found, the keys that are known, and the closest one.
 */

/** Every key of an options type, listed once; `satisfies` keeps the list and the type in step. */
export type KeyList<T> = Readonly<Record<keyof T, true>>;

export interface KnownKeysCheck {
  /** What the options belong to, for the message: `FastMCP("weather") options`, `Tool "add"`. */
  readonly owner: string;
  /** Where the object sits in the options, e.g. `http.cors.` (empty at the top). */
  readonly path?: string;
  /** Names people write by habit (other SDKs, Python), mapped to ours. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** Throws a TypeError for the first key of `value` that `known` does not list. */
export function checkKnownKeys(value: object, known: KeyList<object>, check: KnownKeysCheck): void {
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(known, key)) continue;
    const names = Object.keys(known);
    const path = check.path ?? "";
    // A key of hundreds of characters is no misspelling: no suggestion, and not echoed whole.
    const suggestion = key.length > 100 ? undefined : suggest(key, names, check.aliases);
    const hint = suggestion === undefined ? "" : `; did you mean "${path}${suggestion}"?`;
    const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
    throw new TypeError(
      `${check.owner}: unknown option "${path}${shown}"${hint} (known options${path ? ` of ${path.slice(0, -1)}` : ""}: ${names.join(", ")})`,
    );
  }
}

/** Throws unless `value` is undefined or an options object (not null, an array or a primitive). */
export function checkOptionsObject(value: unknown, owner: string, name: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`${owner}: ${name} must be an object, got ${describeValue(value)}`);
}

/** A value named in an error without echoing all of it (it may be huge or deeply nested). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "string") return typeof value;
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return `the string ${JSON.stringify(shown)}`;
}

/** The known key a mistyped one most likely meant, if any is close enough. */
export function suggest(
  key: string,
  known: readonly string[],
  aliases?: Readonly<Record<string, string>>,
): string | undefined {
  // Python's snake_case (the seed guide's `allow_origins`), and case slips.
  const camel = key.replace(/[_-]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  for (const name of [key, camel]) {
    const alias = aliases && Object.hasOwn(aliases, name) ? aliases[name] : undefined;
    if (alias !== undefined) return alias;
  }
  const lower = camel.toLowerCase();
  const exact = known.find((name) => name.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  // A key cut short (`maxBody` for `maxBodyBytes`): the shortest known key it starts.
  const longer = known
    .filter((name) => lower.length >= 3 && name.toLowerCase().startsWith(lower))
    .sort((x, y) => x.length - y.length)[0];
  if (longer !== undefined) return longer;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(camel.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
