import { invalidParams } from "../protocol/errors.js";
import { base64UrlDecode, base64UrlEncode } from "../util/base64.js";

export interface Component {
  /** What the registry knows it by: a tool's or prompt's name, a resource's URI (or URI template). */
  readonly key: string;
  readonly enabled: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | undefined;
}

/**
 * Holds one kind of component in registration order, keeps the enabled list
 * ready, and tells the server when anything a client could list has changed.
 */
export class ComponentRegistry<T extends Component> {
  readonly #items = new Map<string, T>();
  #enabled: readonly T[] | undefined;
  #revision = 0;

  constructor(
    private readonly kind: string,
    private readonly onChange: () => void,
  ) {}

  /** Bumped on every change, so derived caches know when to rebuild. */
  get revision(): number {
    return this.#revision;
  }

  get size(): number {
    return this.#items.size;
  }

  add(item: T): void {
    if (this.#items.has(item.key)) {
      throw new Error(
        `${this.kind} "${item.key}" is already registered; remove it first or use update()`,
      );
    }
    this.#items.set(item.key, item);
    this.changed();
  }

  /** Swaps an item in place, keeping its position in the list. */
  replace(item: T): void {
    if (!this.#items.has(item.key)) throw new Error(`${this.kind} "${item.key}" is not registered`);
    this.#items.set(item.key, item);
    this.changed();
  }

  remove(key: string): boolean {
    const removed = this.#items.delete(key);
    if (removed) this.changed();
    return removed;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** The item, enabled or not. */
  peek(key: string): T | undefined {
    return this.#items.get(key);
  }

  /** The item if it exists and is enabled. */
  get(key: string): T | undefined {
    const item = this.#items.get(key);
    return item?.enabled ? item : undefined;
  }

  /** Registered items, enabled or not. */
  all(): IterableIterator<T> {
    return this.#items.values();
  }

  enabled(): readonly T[] {
    this.#enabled ??= [...this.#items.values()].filter((item) => item.enabled);
    return this.#enabled;
  }

  changed(): void {
    this.#enabled = undefined;
    this.#revision++;
    this.onChange();
  }
}

/** Opaque cursors: an offset, encoded so clients treat it as a token. */
export function paginate<T>(
  items: readonly T[],
  cursor: unknown,
  pageSize: number | undefined,
): Page<T> {
  const start = cursor === undefined ? 0 : decodeCursor(cursor);
  // A cursor past the end was never issued (or the list shrank): refuse it, so callers can cache pages by cursor.
  if (start > items.length)
    throw invalidParams("Invalid cursor: past the end of the list", { cursor });
  if (pageSize === undefined || pageSize <= 0) {
    return { items: start === 0 ? items : items.slice(start), nextCursor: undefined };
  }
  const end = start + pageSize;
  return {
    items: items.slice(start, end),
    nextCursor: end < items.length ? base64UrlEncode(`o:${end}`) : undefined,
  };
}

function decodeCursor(cursor: unknown): number {
  const decoded = typeof cursor === "string" ? base64UrlDecode(cursor) : undefined;
  const match = decoded ? /^o:(\d{1,9})$/.exec(decoded) : null;
  if (!match) throw invalidParams("Invalid cursor", { cursor });
  return Number(match[1]);
}
