/**
 * The short-lived entries of a long-lived owner: running requests, live
 * streams, messages being handled. Not a Map or a Set, on purpose: V8
 * re-allocates a Map's table as entries come and go, and once the table has
 * reached the old generation every new table is allocated there too. A Map
 * that gains and loses an entry per request then fills the old generation
 * with garbage (measured on Node 20: a 50-entry Map churned by requests made
 * hundreds of MB of it per second, and the server's RSS followed).
 *
 * A linked list allocates one small node per entry, which dies young with
 * its entry. Removal is O(1) through the handle `add` returns; lookups walk
 * the list, so they are for rare events (a cancellation, a resumed stream,
 * shutdown), over as many entries as are live at once.
 */
export class LiveList<T> implements Iterable<T> {
  #head: LiveNode<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `value`; the handle removes it again (once; later calls do nothing). */
  add(value: T): LiveEntry {
    const node = new LiveNode(this, value);
    node.next = this.#head;
    if (this.#head) this.#head.prev = node;
    this.#head = node;
    this.#size++;
    return node;
  }

  find(matches: (value: T) => boolean): T | undefined {
    for (let node = this.#head; node; node = node.next) if (matches(node.value)) return node.value;
    return undefined;
  }

  /** Newest first. Entries removed while iterating are skipped; entries added are not visited. */
  *[Symbol.iterator](): Iterator<T> {
    let node = this.#head;
    while (node) {
      const next = node.next;
      if (node.list) yield node.value;
      node = next;
    }
  }

  /** @internal Called by a node's `remove`. */
  unlink(node: LiveNode<T>): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    this.#size--;
  }
}

/** One entry's place in a `LiveList`. */
export interface LiveEntry {
  remove(): void;
}

class LiveNode<T> implements LiveEntry {
  list: LiveList<T> | undefined;
  readonly value: T;
  prev: LiveNode<T> | undefined;
  next: LiveNode<T> | undefined;

  constructor(list: LiveList<T>, value: T) {
    this.list = list;
    this.value = value;
  }

  remove(): void {
    const list = this.list;
    if (!list) return;
    this.list = undefined;
    list.unlink(this);
    // `next` stays: an iterator that already holds this node moves on through it.
    this.prev = undefined;
  }
}
