import { createHash } from "node:crypto";
import { createClient, ErrorReply } from "@redis/client";
import type { BackEnd, RoundTripTracer, Telemetry } from "../protocol/telemetry.js";

/**
 * What fastmcp-ts uses of a node-redis client: `createClient()` from `redis`
 * or `@redis/client` (v6) fits it as it is. Only these members are
 * named, so the client's own generic types never reach this package's API.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
  /** A second connection with the same settings (pub/sub needs one of its own). */
  duplicate(): RedisClientLike;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(
    channel: string,
    listener?: (message: string, channel: string) => void,
  ): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  close(): Promise<void>;
  destroy(): void;
  unref(): void;
}

/** Redis could not be reached: the request that needed it fails now rather than waiting. */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
}

/** A Lua script, sent by its SHA1 and by its source only when Redis does not know it yet. */
export interface Script {
  /** What spans call it (`db.stored_procedure.name`): a name reads better than its digest. */
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function script(name: string, source: string): Script {
  return { name, source, sha: createHash("sha1").update(source).digest("hex") };
}

/** A client and its first connection, which is waited for once. */
interface Link {
  readonly client: RedisClientLike;
  readonly firstConnect: Promise<void>;
  waited: boolean;
}

export interface ConnectionOptions {
  readonly url: string | undefined;
  readonly client: RedisClientLike | undefined;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

/**
 * The connections one `redisState()` shares: one for commands, and one for
 * pub/sub, made when first needed. Every call either runs at once or fails at
 * once: while Redis is unreachable nothing is queued (a queued command would
 * hold its HTTP request until Redis came back, or forever). Only the very
 * first connection is waited for, at most `connectTimeoutMs`, so a server may
 * start before its connection is up. Each command is one round trip; what must
 * do more is a Lua script.
 */
export class RedisConnection {
  /** Where Redis is, for messages: host and port, never credentials. */
  readonly where: string;
  readonly #main: Link;
  /** Whether this object made the client (and so closes it). */
  readonly #owned: boolean;
  readonly #options: ConnectionOptions;
  #subscriber: Link | undefined;
  #lastError: string | undefined;
  /** Spans for round trips; undefined (one branch per command) until a server with telemetry asks. */
  #tracer: RoundTripTracer | undefined;
  #closed = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#owned = options.client === undefined;
    this.where = options.client ? "the given client" : hostOf(options.url ?? "");
    const client =
      options.client ??
      (createClient({
        url: options.url,
        // Fail fast: commands sent while disconnected are refused, not queued.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: options.connectTimeoutMs,
          // Keeps trying, never more than a second apart, so service returns soon after Redis does.
          reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
        },
      }) as unknown as RedisClientLike);
    this.#main = this.#link(client);
  }

  /** One command, one round trip. */
  command(args: string[]): Promise<unknown> {
    const trip = this.#tracer?.start(args[0] ?? "");
    return trip === undefined ? this.#command(args) : trip.follow(this.#command(args));
  }

  async #command(args: string[]): Promise<unknown> {
    await this.#ready(this.#main);
    try {
      return await this.#main.client.sendCommand(args, { timeout: this.#options.commandTimeoutMs });
    } catch (error) {
      throw this.#failure(error);
    }
  }

  /**
   * Runs a script: one round trip (two the first time after Redis
   * restarted, traced as one call, as the caller sees it).
   */
  run(code: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const trip = this.#tracer?.start("EVALSHA", code.name);
    const pending = this.#run(code, keys, args);
    return trip === undefined ? pending : trip.follow(pending);
  }

  async #run(code: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const rest = [String(keys.length), ...keys, ...args];
    try {
      return await this.#command(["EVALSHA", code.sha, ...rest]);
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith("NOSCRIPT")) throw error;
      // EVAL also loads the script, so the next call is back to EVALSHA.
      return this.#command(["EVAL", code.source, ...rest]);
    }
  }

  /** A round trip on the pub/sub connection (SUBSCRIBE), traced as commands are. */
  pubsub(operation: string, fn: () => Promise<void>): Promise<void> {
    const trip = this.#tracer?.start(operation);
    return trip === undefined ? fn() : trip.follow(fn());
  }

  /**
   * Reports round trips as CLIENT spans under the active span, through the
   * first telemetry handed over (`TracedStore`; every store of one
   * `redisState()` shares this connection, so each hands the same one).
   */
  traceWith(telemetry: Telemetry): void {
    if (this.#tracer !== undefined || telemetry.roundTrips === undefined) return;
    this.#tracer = telemetry.roundTrips(this.#backEnd());
  }

  /** The pub/sub connection, ready, or a failure at once when it is down. */
  async subscriber(): Promise<RedisClientLike> {
    // Redis down (the command connection says so) fails at once, even before the first subscription.
    await this.#ready(this.#main);
    this.#subscriber ??= this.#link(this.#main.client.duplicate());
    await this.#ready(this.#subscriber);
    return this.#subscriber.client;
  }

  /** Whether the pub/sub connection, once made, is down now. */
  get subscriberDown(): boolean {
    return this.#subscriber !== undefined && !this.#subscriber.client.isReady;
  }

  /** The pub/sub connection as it is, up or down, if it was made. */
  get subscriberClient(): RedisClientLike | undefined {
    return this.#subscriber?.client;
  }

  /** Resolves when Redis answers now; rejects with `RedisUnavailableError` otherwise. */
  async ping(): Promise<void> {
    await this.command(["PING"]);
    if (this.subscriberDown) throw this.#unavailable("the pub/sub connection is reconnecting");
  }

  /** Closes the connections this object made; a client that was given stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const clients = [this.#subscriber?.client, this.#owned ? this.#main.client : undefined];
    for (const client of clients) {
      if (!client) continue;
      // A client still trying to connect has nothing to finish: destroy it.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    }
  }

  #backEnd(): BackEnd {
    return backEndOf(this.#options.client ? undefined : this.#options.url);
  }

  /** Connects (unless the client is already open), without keeping the process alive. */
  #link(client: RedisClientLike): Link {
    // node-redis emits every connection failure; without a listener Node would crash on it.
    client.on("error", (error) => {
      this.#lastError = error.message;
    });
    client.unref();
    if (client.isOpen) return { client, firstConnect: Promise.resolve(), waited: true };
    const firstConnect = client.connect().then(() => undefined);
    // Failures surface through the commands that wait for it, not as an unhandled rejection.
    firstConnect.catch(() => undefined);
    return { client, firstConnect, waited: false };
  }

  /** Waits for the first connection (once, bounded); afterwards a client that is down fails at once. */
  async #ready(link: Link): Promise<void> {
    if (this.#closed) throw new RedisUnavailableError(`Redis state at ${this.where} is closed`);
    const { client, firstConnect } = link;
    if (client.isReady) return;
    if (!link.waited) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.connectTimeoutMs);
        timer.unref?.();
      });
      await Promise.race([firstConnect.catch(() => undefined), timeout]);
      clearTimeout(timer);
      link.waited = true;
      if (client.isReady) return;
    }
    throw this.#unavailable(this.#lastError ?? "not connected");
  }

  /** A reply error is Redis saying no (a bug, not an outage): it passes as it is. */
  #failure(error: unknown): Error {
    if (error instanceof ErrorReply) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return this.#unavailable(
      this.#lastError && !this.#main.client.isReady ? this.#lastError : reason,
    );
  }

  #unavailable(reason: string): RedisUnavailableError {
    return new RedisUnavailableError(`Redis at ${this.where} is unavailable (${reason})`);
  }
}

/** `redis://user:secret@host:6380/2` → host, port and database, never the credentials. */
function backEndOf(url: string | undefined): BackEnd {
  const backEnd = { system: "redis", statusOf: errorPrefix };
  if (url === undefined) return backEnd;
  try {
    const parsed = new URL(url);
    const database = /^\/(\d+)$/.exec(parsed.pathname)?.[1] ?? "0";
    const port = parsed.port ? Number(parsed.port) : 6379;
    return { ...backEnd, address: parsed.hostname, port, namespace: database };
  } catch {
    return backEnd;
  }
}

/** Redis's error prefix (`NOSCRIPT`, `WRONGTYPE`): its status code, for spans of failed commands. */
function errorPrefix(error: unknown): string | undefined {
  if (!(error instanceof ErrorReply)) return undefined;
  return /^[A-Z]+/.exec(error.message)?.[0];
}

/** `redis://user:secret@host:6380/2` → `host:6380`, so messages and logs never carry a password. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return "the configured URL";
  }
}
