import { invalidParams } from "../protocol/errors.js";
import { base64UrlDecode, base64UrlEncode } from "../util/base64.js";

export interface Component {
  readonly name: string;
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
    if (this.has(item.name)) {
      throw new Error(
        `${this.kind} "${item.name}" is already registered; remove it first or use update()`,
      );
    }
    if (staged) this.#staged.set(item.name, item);
    else {
      this.#items.set(item.name, item);
      this.changed();
    }
  }

  /**
   * Swaps an item in place, keeping its position in the list. A `staged`
   * replacement waits for `commit`; clients see the current version until then.
   */
  replace(item: T, staged = false): void {
    if (!this.has(item.name)) throw new Error(`${this.kind} "${item.name}" is not registered`);
    if (staged) {
      this.#staged.set(item.name, item);
      return;
    }
    this.#staged.delete(item.name);
    this.#items.set(item.name, item);
    this.changed();
  }

  /** Makes a staged item visible, unless it was removed or replaced meanwhile. */
  commit(item: T): void {
    if (this.#staged.get(item.name) !== item) return;
    this.#staged.delete(item.name);
    this.#items.set(item.name, item);
    this.changed();
  }

  /**
   * Forgets a staged item that will never be ready; what clients see stays as
   * it is. False when it was already removed or replaced.
   */
  discard(item: T): boolean {
    if (this.#staged.get(item.name) !== item) return false;
    this.#staged.delete(item.name);
    return true;
  }

  remove(name: string): boolean {
    const staged = this.#staged.delete(name);
    const removed = this.#items.delete(name);
    if (removed) this.changed();
    return removed || staged;
  }

  has(name: string): boolean {
    return this.#items.has(name) || this.#staged.has(name);
  }

  /** The newest version of the item (staged or visible), enabled or not. */
  peek(name: string): T | undefined {
    return this.#staged.get(name) ?? this.#items.get(name);
  }

  /** The visible item if it exists and is enabled. */
  get(name: string): T | undefined {
    const item = this.#items.get(name);
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
