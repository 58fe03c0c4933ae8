import { invalidParams } from "../protocol/errors.js";
import { base64UrlDecode, base64UrlEncode } from "../util/base64.js";
import { clip } from "../util/echo.js";

export interface Component {
  /** What the registry knows it by: a tool's or prompt's name, a resource's URI (or URI template). */
  readonly key: string;
  enabled: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | undefined;
}

/**
 * Holds one kind of component in registration order, keeps the enabled list
 * ready, and tells the server when anything a client could list has changed.
 *
 * An item that is not ready yet (its schema still converting) is staged: its
 * name is taken and its handle works, but clients keep seeing what was there
 * before (nothing, or the previous version) until `commit` swaps it in.
 */
export class ComponentRegistry<T extends Component> {
  readonly #items = new Map<string, T>();
  readonly #staged = new Map<string, T>();
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

  /** How many items clients can see (enabled or not), staged ones left out. */
  get size(): number {
    return this.#items.size;
  }

  /** Registers `item`; a `staged` item stays invisible until `commit(item)`. */
  add(item: T, staged = false): void {
    if (this.has(item.key)) {
      throw new Error(
        `${this.kind} "${item.key}" is already registered; remove it first or use update()`,
      );
    }
    if (staged) this.#staged.set(item.key, item);
    else {
      this.#items.set(item.key, item);
      this.changed();
    }
  }

  /**
   * Swaps an item in place, keeping its position in the list. A `staged`
   * replacement waits for `commit`; clients see the current version until then.
   */
  replace(item: T, staged = false): void {
    if (!this.has(item.key)) throw new Error(`${this.kind} "${item.key}" is not registered`);
    if (staged) {
      this.#staged.set(item.key, item);
      return;
    }
    this.#staged.delete(item.key);
    this.#items.set(item.key, item);
    this.changed();
  }

  /** Makes a staged item visible, unless it was removed or replaced meanwhile. */
  commit(item: T): void {
    if (this.#staged.get(item.key) !== item) return;
    this.#staged.delete(item.key);
    this.#items.set(item.key, item);
    this.changed();
  }

  /**
   * Forgets a staged item that will never be ready; what clients see stays as
   * it is. False when it was already removed or replaced.
   */
  discard(item: T): boolean {
    if (this.#staged.get(item.key) !== item) return false;
    this.#staged.delete(item.key);
    return true;
  }

  remove(key: string): boolean {
    const staged = this.#staged.delete(key);
    const removed = this.#items.delete(key);
    if (removed) this.changed();
    return removed || staged;
  }

  has(key: string): boolean {
    return this.#items.has(key) || this.#staged.has(key);
  }

  /** The newest version of the item (staged or visible), enabled or not. */
  peek(key: string): T | undefined {
    return this.#staged.get(key) ?? this.#items.get(key);
  }

  /** The visible item if it exists and is enabled. */
  get(key: string): T | undefined {
    const item = this.#items.get(key);
    return item?.enabled ? item : undefined;
  }

  /** Visible items, enabled or not. */
  all(): IterableIterator<T> {
    return this.#items.values();
  }

  enabled(): readonly T[] {
    this.#enabled ??= [...this.#items.values()].filter((item) => item.enabled);
    return this.#enabled;
  }

  /** Enables or disables every version of the item; only a visible change is announced. */
  setEnabled(name: string, enabled: boolean): void {
    const staged = this.#staged.get(name);
    if (staged) staged.enabled = enabled;
    const visible = this.#items.get(name);
    if (!visible || visible.enabled === enabled) return;
    visible.enabled = enabled;
    this.changed();
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
  // It is one decodeCursor accepted, so a short string, safe to repeat.
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
  // Never the client's value itself in `data`: it may be anything the parser accepted (util/echo.ts).
  if (typeof cursor !== "string") throw invalidParams("Invalid cursor: a cursor is a string");
  const match = /^o:(\d{1,9})$/.exec(base64UrlDecode(cursor) ?? "");
  if (!match) throw invalidParams("Invalid cursor", { cursor: clip(cursor) });
  return Number(match[1]);
}
