/**
 * fastmcp-ts/redis: every store a server has, in Redis, so that several
 * processes (and machines) serve one MCP server. A subpath of its own: a
 * server without Redis loads none of it, nor the client (`@redis/client`, an
 * optional peer dependency, needed here only).
 *
 * ```ts
 * const state = redisState({ url: "redis://127.0.0.1:6379" });
 * const mcp = new FastMCP("weather", { ...state });
 * ```
 */
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { RedisBus } from "./bus.js";
import { type RedisClientLike, RedisConnection } from "./connection.js";
import { RedisEventStore } from "./event-store.js";
import { RedisSessionStore } from "./session-store.js";
import { RedisSubscriptionStore } from "./subscription-store.js";
import { RedisTaskStore } from "./task-store.js";

export { RedisBus } from "./bus.js";
export { type RedisClientLike, RedisUnavailableError } from "./connection.js";
export { RedisEventStore } from "./event-store.js";
export { RedisSessionStore } from "./session-store.js";
export { RedisSubscriptionStore } from "./subscription-store.js";
export { RedisTaskStore, TaskUpdateConflict } from "./task-store.js";

export interface RedisStateOptions {
  /** `redis[s]://[[user][:password]@]host[:port][/db]`. Give this or `client`. */
  url?: string;
  /**
   * A node-redis client of your own (TLS, Sentinel, credentials providers):
   * used as it is, connected if it is not, and never closed by `close()`.
   * Commands still fail at once while it is down (fastmcp-ts checks
   * `isReady`); its pub/sub connection is its `duplicate()`.
   */
  client?: RedisClientLike;
  /** Starts every key and pub/sub channel: one per server sharing a Redis. Default "fastmcp:". */
  prefix?: string;
  /** How long the first connection is waited for, and each later connection attempt. Default 2 s. */
  connectTimeoutMs?: number;
  /** Longest wait for one reply, for a Redis that accepts connections but does not answer. Default 5 s. */
  commandTimeoutMs?: number;
  /** Time to live of a session without an idle timeout of its own (stdio), slid on use. Default 24 h. */
  sessionTtlMs?: number;
  /** How often each process looks for sessions Redis expired. Default 10 s. */
  sweepIntervalMs?: number;
  /** SSE events kept per stream, roughly (XADD MAXLEN ~). Default 1000. */
  maxEventsPerStream?: number;
  /** An SSE stream untouched this long expires. Default 5 minutes. */
  eventRetentionMs?: number;
  /** Where failures nobody waits for go (a bus listener that threw). Default: console.error. */
  onError?: (message: string, error: unknown) => void;
}

const OPTION_KEYS = {
  url: true,
  client: true,
  prefix: true,
  connectTimeoutMs: true,
  commandTimeoutMs: true,
  sessionTtlMs: true,
  sweepIntervalMs: true,
  maxEventsPerStream: true,
  eventRetentionMs: true,
  onError: true,
} satisfies KeyList<RedisStateOptions>;

/** The names of other Redis libraries' options, mapped to ours. */
const ALIASES = { keyPrefix: "prefix", redisUrl: "url", connectTimeout: "connectTimeoutMs" };

/**
 * The server's stores on one Redis: spread it into the server's options. Its
 * five fields are the only enumerable ones, so a spread passes exactly them;
 * `close()` and `ping()` stay on the object.
 */
export class RedisState {
  readonly sessionStore: RedisSessionStore;
  readonly subscriptionStore: RedisSubscriptionStore;
  readonly bus: RedisBus;
  readonly eventStore: RedisEventStore;
  /** Tasks of the tasks extension: started on one process, polled, answered or cancelled on any. */
  readonly taskStore: RedisTaskStore;
  readonly #connection: RedisConnection;

  constructor(options: RedisStateOptions) {
    checkOptionsObject(options, "redisState()", "the options");
    checkKnownKeys(options, OPTION_KEYS, { owner: "redisState()", aliases: ALIASES });
    const { url, client } = options;
    if ((url === undefined) === (client === undefined))
      throw new TypeError(
        "redisState(): give either url (redis://host:port) or client (a node-redis client)",
      );
    if (url !== undefined && !/^rediss?:\/\//.test(url))
      throw new TypeError(`redisState(): url must start with redis:// or rediss://, got "${url}"`);
    const prefix = options.prefix ?? "fastmcp:";
    const onError =
      options.onError ??
      ((message: string, error: unknown) => console.error(`fastmcp-ts/redis: ${message}`, error));
    this.#connection = new RedisConnection({
      url,
      client,
      connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs, 2000),
      commandTimeoutMs: positive("commandTimeoutMs", options.commandTimeoutMs, 5000),
    });
    this.sessionStore = new RedisSessionStore(this.#connection, {
      prefix,
      defaultTtlMs: positive("sessionTtlMs", options.sessionTtlMs, 24 * 3_600_000),
      sweepIntervalMs: positive("sweepIntervalMs", options.sweepIntervalMs, 10_000),
      onError,
    });
    this.subscriptionStore = new RedisSubscriptionStore(this.#connection, prefix);
    this.bus = new RedisBus(this.#connection, prefix, onError);
    this.eventStore = new RedisEventStore(this.#connection, {
      prefix,
      maxEventsPerStream: positive("maxEventsPerStream", options.maxEventsPerStream, 1000),
      retentionMs: positive("eventRetentionMs", options.eventRetentionMs, 5 * 60_000),
    });
    this.taskStore = new RedisTaskStore(this.#connection, prefix);
  }

  /** Resolves when Redis answers on both connections; rejects with the reason otherwise. */
  ping(): Promise<void> {
    return this.#connection.ping();
  }

  /**
   * Stops the sweep and closes the connections this object made. While Redis
   * is unreachable node-redis keeps a reconnect timer that holds the process
   * open: close after `run()` returns (or in the lifespan's `finally`).
   */
  async close(): Promise<void> {
    this.sessionStore.stop();
    await this.#connection.close();
  }
}

/** Every store a server has, on one Redis. See `RedisState`. */
export function redisState(options: RedisStateOptions): RedisState {
  return new RedisState(options);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`redisState(): ${name} must be a positive number, got ${value}`);
  return value;
}
