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
  /** Per-session state for users' handlers (`ctx.session.state`); must stay JSON-serializable. */
  state: Record<string, unknown>;
}

/**
 * Where sessions live. The in-memory default serves one process; a shared
 * implementation (Redis) lets many processes serve one server.
 */
export interface SessionStore {
  get(id: string): Promise<SessionRecord | undefined>;
  /** Creates or replaces a session. */
  set(record: SessionRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** How many sessions exist (for limits and tests). */
  size(): Promise<number>;
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.#sessions.get(id);
  }

  async set(record: SessionRecord): Promise<void> {
    this.#sessions.set(record.id, record);
  }

  async delete(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }

  async size(): Promise<number> {
    return this.#sessions.size;
  }
}

export function newSessionId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}
