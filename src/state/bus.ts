/**
 * Messages between the parts of a server that may live in different
 * processes: notifications for every session, responses to server-to-client
 * requests. The in-memory bus serves one process; Redis serves a cluster.
 */
export interface Bus {
  publish(topic: string, message: unknown): Promise<void>;
  /** Resolves once listening; the returned function stops it. */
  subscribe(topic: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Answers when the store can serve (a round trip to Redis, say); rejects
   * when it cannot. Optional: the readiness check (`run({ health })`) calls it
   * when present, and the in-memory stores, which cannot fail, have none.
   */
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
  /** One task of the tasks extension: cancel and answers for the process running it, status for listeners. */
  task: (server: string, taskId: string) => `fastmcp:${server}:task:${taskId}`,
} as const;
