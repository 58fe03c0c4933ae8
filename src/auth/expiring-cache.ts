/**
 * The verifiers' result cache: a bounded Map whose entries carry their own
 * deadline. Verifying a JWT costs a signature check (tens of microseconds
 * for RS256) and introspection a round trip, while a client sends the same
 * token with every request; a hit is one Map lookup and a clock read.
 */
export class ExpiringCache<K, V> {
  readonly #entries = new Map<K, { readonly value: V; readonly until: number }>();
  readonly #maxEntries: number;

  /** `maxEntries` 0 turns the cache off. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The live entry for `key`, if any; an expired one is dropped when seen. */
  get(key: K, now: number): { readonly value: V } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now < entry.until) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Keeps `value` until `until` (milliseconds since the epoch). When full,
   * the oldest insertion goes: a Map iterates in insertion order, so that is
   * its first key, found without a scan. Least recently inserted rather than
   * least recently used: a hit then costs no Map write, and a flood of new
   * tokens displaces old entries under either policy alike.
   */
  set(key: K, value: V, until: number): void {
    if (this.#maxEntries === 0) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, until });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
