import type { ClientCapabilities, Implementation, LoggingLevel } from "../protocol/types.js";
import type { LegacyVersion } from "../protocol/versions.js";

/** What a legacy-era session remembers between requests. Plain data, so any store can hold it. */
export interface SessionRecord {
  readonly id: string;
  protocolVersion: LegacyVersion;
  clientInfo: Implementation | undefined;
  clientCapabilities: ClientCapabilities;
  /** Set by `logging/setLevel`; absent means every level is sent. */
  logLevel: LoggingLevel | undefined;
  /** True once the client sent `notifications/initialized`. */
  initialized: boolean;
  createdAt: number;
  /** Last time a request used the session (ms since epoch). */
  lastActiveAt: number;
  /** The session ends after this long without requests; absent means never (stdio). */
  idleTimeoutMs?: number | undefined;
  /** Whom the session belongs to (`auth/principal.ts`); absent on servers without auth. */
  principal?: string | undefined;
  /** Per-session state for users' handlers (`ctx.session.state`); must stay JSON-serializable. */
  state: Record<string, unknown>;
}

/**
 * Where sessions live. The in-memory default serves one process; a shared
 * implementation (Redis) lets many processes serve one server.
 */
export interface SessionStore {
  /** The session, or undefined when unknown or idle past its timeout. Counts as activity. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Creates or replaces a session. */
  set(record: SessionRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** How many sessions exist (for limits and tests). */
  size(): Promise<number>;
  /**
   * Registers a listener for sessions the store ends by itself (idle timeout)
   * or, for a store shared by several processes, that another process deleted.
   */
  onExpire?(listener: (id: string) => void): void;
  /**
   * A request of the session is done: store the record if a handler changed
   * it (`ctx.session.state`). A store whose `get` hands out the very record it
   * keeps (memory) needs none; one that hands out copies (Redis) must have
   * it, or the change is lost. It should cost nothing when nothing changed.
   */
  save?(record: SessionRecord): Promise<void>;
  /**
   * Answers when the store can serve (a round trip to Redis, say); rejects
   * when it cannot. Optional: the readiness check (`run({ health })`) calls it
   * when present, and the in-memory stores, which cannot fail, have none.
   */
  ping?(): Promise<void>;
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #expireListeners: ((id: string) => void)[] = [];
  #sweeper: ReturnType<typeof setInterval> | undefined;

  async get(id: string): Promise<SessionRecord | undefined> {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = Date.now();
    if (isIdle(session, now)) {
      this.#expire(id);
      return undefined;
    }
    session.lastActiveAt = now;
    return session;
  }

  async set(record: SessionRecord): Promise<void> {
    this.#sessions.set(record.id, record);
    if (record.idleTimeoutMs !== undefined) this.#startSweeping(record.idleTimeoutMs);
  }

  async delete(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }

  async size(): Promise<number> {
    return this.#sessions.size;
  }

  onExpire(listener: (id: string) => void): void {
    this.#expireListeners.push(listener);
  }

  #expire(id: string): void {
    this.#sessions.delete(id);
    for (const listener of this.#expireListeners) listener(id);
  }

  /** Idle sessions are swept on a timer, so their memory goes even when no request comes. */
  #startSweeping(timeoutMs: number): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(
      () => {
        const now = Date.now();
        for (const [id, session] of this.#sessions) if (isIdle(session, now)) this.#expire(id);
        if (this.#sessions.size === 0) {
          clearInterval(this.#sweeper);
          this.#sweeper = undefined;
        }
      },
      Math.max(10, Math.min(timeoutMs / 2, 30_000)),
    );
    this.#sweeper.unref?.();
  }
}

function isIdle(session: SessionRecord, now: number): boolean {
  return session.idleTimeoutMs !== undefined && now - session.lastActiveAt > session.idleTimeoutMs;
}

export function newSessionId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}
