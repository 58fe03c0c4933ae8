/**
 * Messages between the parts of a server that may live in different
 * processes: notifications for every session, responses to server-to-client
 * requests. The in-memory bus serves one process; Redis serves a cluster.
 */
export interface Bus {
  publish(topic: string, message: unknown): Promise<void>;
  /** Resolves once listening; the returned function stops it. */
  subscribe(topic: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  /** Resolves when the bus can carry messages now, rejects with the reason otherwise (readiness). */
  ping?(): Promise<void>;
}

export class MemoryBus implements Bus {
  readonly #listeners = new Map<string, Set<(message: unknown) => void>>();

  async publish(topic: string, message: unknown): Promise<void> {
    const listeners = this.#listeners.get(topic);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(message);
  }

  async subscribe(
    topic: string,
    listener: (message: unknown) => void,
  ): Promise<() => Promise<void>> {
    let listeners = this.#listeners.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(topic, listeners);
    }
    listeners.add(listener);
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(topic);
    };
  }
}

/** Topics the server uses, in one place so every bus implementation agrees. */
export const topics = {
  /** Notifications every connected session receives (list_changed). */
  broadcast: (server: string) => `fastmcp:${server}:broadcast`,
  /** Notifications and requests for one session's standalone stream. */
  session: (server: string, sessionId: string) => `fastmcp:${server}:session:${sessionId}`,
  /** Client responses to server-to-client requests, for the process (tag) that sent them. */
  replies: (processTag: string) => `fastmcp:replies:${processTag}`,
  /** `notifications/resources/updated` for one URI, for 2026-07-28 `subscriptions/listen` streams. */
  resource: (server: string, uri: string) => `fastmcp:${server}:resource:${uri}`,
} as const;
