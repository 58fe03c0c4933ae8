import type { SessionRecord, SessionStore } from "./session.js";

/**
 * Which legacy-era sessions subscribed (`resources/subscribe`) to which
 * resource URIs. The in-memory default serves one process; a shared
 * implementation (Redis) lets `notifyResourceUpdated` on any process find
 * every subscriber. 2026-07-28 `subscriptions/listen` streams keep their
 * filter for as long as they are open and need no store.
 */
export interface SubscriptionStore {
  add(sessionId: string, uri: string): Promise<void>;
  /** True when the session was subscribed. */
  remove(sessionId: string, uri: string): Promise<boolean>;
  /** The sessions subscribed to `uri`. */
  sessions(uri: string): Promise<readonly string[]>;
  /** Forgets every subscription of a session that has ended. */
  clear(sessionId: string): Promise<void>;
  /**
   * Answers when the store can serve (a round trip to Redis, say); rejects
   * when it cannot. Optional: the readiness check (`run({ health })`) calls it
   * when present, and the in-memory stores, which cannot fail, have none.
   */
  ping?(): Promise<void>;
}

export class MemorySubscriptionStore implements SubscriptionStore {
  readonly #byUri = new Map<string, Set<string>>();
  readonly #bySession = new Map<string, Set<string>>();

  async add(sessionId: string, uri: string): Promise<void> {
    link(this.#byUri, uri, sessionId);
    link(this.#bySession, sessionId, uri);
  }

  async remove(sessionId: string, uri: string): Promise<boolean> {
    unlink(this.#bySession, sessionId, uri);
    return unlink(this.#byUri, uri, sessionId);
  }

  async sessions(uri: string): Promise<readonly string[]> {
    const sessions = this.#byUri.get(uri);
    return sessions ? [...sessions] : [];
  }

  async clear(sessionId: string): Promise<void> {
    const uris = this.#bySession.get(sessionId);
    if (!uris) return;
    this.#bySession.delete(sessionId);
    for (const uri of uris) unlink(this.#byUri, uri, sessionId);
  }
}

function link(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function unlink(map: Map<string, Set<string>>, key: string, value: string): boolean {
  const set = map.get(key);
  if (!set?.delete(value)) return false;
  if (set.size === 0) map.delete(key);
  return true;
}

/**
 * A session store whose `delete` also forgets the session's subscriptions, so
 * whichever transport ends a session (stdio close, HTTP DELETE, expiry) leaves
 * nothing behind.
 */
export function forgetSubscriptionsOnDelete(
  sessions: SessionStore,
  subscriptions: SubscriptionStore,
  onError: (message: string, error: unknown) => void,
): SessionStore {
  const wrapped: SessionStore = {
    get: (id: string) => sessions.get(id),
    set: (record: SessionRecord) => sessions.set(record),
    size: () => sessions.size(),
    async delete(id: string) {
      const deleted = await sessions.delete(id);
      await subscriptions.clear(id);
      return deleted;
    },
  };
  // Saving and readiness go to the store itself.
  const { ping, save } = sessions;
  if (ping) wrapped.ping = () => ping.call(sessions);
  if (save) wrapped.save = (record) => save.call(sessions, record);
  if (sessions.onExpire) {
    // A session that expires ends inside the store, without `delete`: forget
    // its subscriptions then too, and let the server hear of it (it releases
    // the session's streams).
    sessions.onExpire((id) => {
      subscriptions
        .clear(id)
        .catch((error: unknown) =>
          onError("Could not forget an expired session's subscriptions", error),
        );
    });
    wrapped.onExpire = (listener) => sessions.onExpire?.(listener);
  }
  return wrapped;
}
