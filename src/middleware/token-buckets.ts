/** One key's bucket: tokens left at `at` (ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key, bounded: when there are `maxKeys` buckets, those
 * idle long enough to be full again are dropped (a full bucket is the same as
 * none), then the oldest ones. A bucket is made once per key and updated in
 * place, so a busy key costs no Map churn.
 */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  /** `rate`: tokens per millisecond; `burst`: the bucket's size. */
  constructor(rate: number, burst: number, maxKeys: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token for `key`: 0 if there was one, else the milliseconds until there is. */
  take(key: string, now: number): number {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict(now);
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#rate);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.#rate;
  }

  #evict(now: number): void {
    const full = this.#burst / this.#rate;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at >= full) this.#buckets.delete(key);
    }
    // All busy: the oldest keys go (a Map iterates in insertion order), down to three quarters.
    const excess = this.#buckets.size - Math.floor(this.#maxKeys * 0.75);
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.#buckets.keys()) {
      if (dropped++ >= excess) break;
      this.#buckets.delete(key);
    }
  }
}
