import type { Telemetry, TracedStore } from "../protocol/telemetry.js";
import type { SessionRecord, SessionStore } from "../state/session.js";
import { uniqueTag } from "../util/unique-tag.js";
import { type RedisConnection, RedisUnavailableError } from "./connection.js";
import {
  SESSION_COUNT,
  SESSION_DELETE,
  SESSION_GET,
  SESSION_SET,
  SESSION_SWEEP,
} from "./scripts.js";

export interface RedisSessionStoreOptions {
  /** Starts every key and channel of this store. */
  readonly prefix: string;
  /** Time to live of a session without an idle timeout of its own (stdio). */
  readonly defaultTtlMs: number;
  /** How often this process looks for sessions Redis expired, once someone listens. */
  readonly sweepIntervalMs: number;
  readonly onError: (message: string, error: unknown) => void;
}

/** Sessions claimed per sweep; the rest wait for the next one. */
const SWEEP_LIMIT = 500;

/**
 * Legacy sessions in Redis, each a hash (`<prefix>session:<id>`: the record
 * as JSON and its time to live) that Redis expires after the session's idle
 * timeout; every read slides it forward, in one round trip (a script).
 *
 * A sorted set (`<prefix>sessions`: id → deadline) indexes them. It makes
 * `size()` one O(log n) count of the sessions whose deadline is ahead, where a
 * counter would drift (Redis expires keys without telling it) and SCAN would
 * walk the whole keyspace on every `initialize`. It also lets a sweep find the
 * sessions Redis expired: each process sweeps on an unref'd timer, a script
 * claims each expired id once and publishes it, and every process hears it
 * and tells its listeners, so the process holding the session's GET stream
 * closes it and subscriptions are forgotten. A delete is announced the same
 * way. Keyspace notifications would do the same, but need
 * `notify-keyspace-events` set on the server, which managed Redis services do
 * not always allow, and are lost while a process is down; the index is not.
 */
export class RedisSessionStore implements SessionStore, TracedStore {
  readonly #connection: RedisConnection;
  readonly #options: RedisSessionStoreOptions;
  readonly #index: string;
  readonly #listeners: ((id: string) => void)[] = [];
  /** Each record handed out, with its `state` as stored, so `save` can tell whether it changed. */
  readonly #saved = new WeakMap<SessionRecord, string>();
  /** Tells this store's own deletes apart on the channel: the server that deleted has ended them. */
  readonly #tag = uniqueTag();
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #hearing: Promise<void> | undefined;

  constructor(connection: RedisConnection, options: RedisSessionStoreOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#index = `${options.prefix}sessions`;
  }

  /** Round trips become spans under the active request's (the server calls this; see `TracedStore`). */
  traceRoundTrips(telemetry: Telemetry): void {
    this.#connection.traceWith(telemetry);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const json = await this.#connection.run(SESSION_GET, [this.#key(id), this.#index], [id]);
    if (typeof json !== "string") return undefined;
    const record = JSON.parse(json) as SessionRecord;
    // Redis keeps the time to live; the record says when it was last used, which is now.
    record.lastActiveAt = Date.now();
    this.#saved.set(record, JSON.stringify(record.state));
    return record;
  }

  /** Stores the record after a request only if its `state` changed: no round trip otherwise. */
  async save(record: SessionRecord): Promise<void> {
    const saved = this.#saved.get(record);
    if (saved !== undefined && saved === JSON.stringify(record.state)) return;
    await this.set(record);
  }

  async set(record: SessionRecord): Promise<void> {
    const state = JSON.stringify(record.state);
    const ttl = Math.ceil(record.idleTimeoutMs ?? this.#options.defaultTtlMs);
    await this.#connection.run(
      SESSION_SET,
      [this.#key(record.id), this.#index],
      [record.id, JSON.stringify(record), String(ttl)],
    );
    this.#saved.set(record, state);
  }

  async delete(id: string): Promise<boolean> {
    const keys = [this.#key(id), this.#index];
    return (
      (await this.#connection.run(SESSION_DELETE, keys, [id, this.#channel(), this.#tag])) === 1
    );
  }

  async size(): Promise<number> {
    return Number(await this.#connection.run(SESSION_COUNT, [this.#index], []));
  }

  /**
   * Listens for sessions that ended elsewhere: those Redis expired (announced
   * by whichever process swept them) and those another process deleted (a
   * client's DELETE that landed there). This store's own deletes are not
   * repeated: its server ends them itself.
   */
  onExpire(listener: (id: string) => void): void {
    this.#listeners.push(listener);
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => void this.sweep(), this.#options.sweepIntervalMs);
    this.#sweeper.unref?.();
    // Heard now if Redis is up; otherwise each sweep tries again.
    this.#hear().catch(() => undefined);
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  /** Claims and announces expired sessions now (the timer calls it; tests may too). */
  async sweep(): Promise<number> {
    try {
      // Listening first: an expiry announced before this process hears the channel is missed.
      await this.#hear();
      const { prefix } = this.#options;
      const gone = await this.#connection.run(
        SESSION_SWEEP,
        [this.#index],
        [`${prefix}session:`, this.#channel(), String(SWEEP_LIMIT)],
      );
      return Number(gone);
    } catch (error) {
      // Redis is down: the index keeps the expired ids, and the next sweep announces them.
      if (!(error instanceof RedisUnavailableError))
        this.#options.onError("Could not sweep expired sessions", error);
      return 0;
    }
  }

  /** Stops sweeping (the connection's close follows). */
  stop(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  /** Subscribes once to the expiry channel; a failure is tried again by the next sweep. */
  #hear(): Promise<void> {
    this.#hearing ??= (async () => {
      const subscriber = await this.#connection.subscriber();
      await subscriber.subscribe(this.#channel(), (message) => {
        // `<id>` from a sweep, `<id> <origin>` from a delete (session ids have no spaces).
        const space = message.indexOf(" ");
        if (space !== -1 && message.slice(space + 1) === this.#tag) return;
        const id = space === -1 ? message : message.slice(0, space);
        for (const listener of this.#listeners) {
          try {
            listener(id);
          } catch (error) {
            this.#options.onError("A session expiry listener failed", error);
          }
        }
      });
    })().catch((error: unknown) => {
      this.#hearing = undefined;
      throw error;
    });
    return this.#hearing;
  }

  #key(id: string): string {
    return `${this.#options.prefix}session:${id}`;
  }

  #channel(): string {
    return `${this.#options.prefix}sessions:ended`;
  }
}
