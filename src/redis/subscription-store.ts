import type { Telemetry, TracedStore } from "../protocol/telemetry.js";
import type { SubscriptionStore } from "../state/subscriptions.js";
import type { RedisConnection } from "./connection.js";
import { SUBSCRIPTION_ADD, SUBSCRIPTION_CLEAR, SUBSCRIPTION_REMOVE } from "./scripts.js";

/**
 * Legacy `resources/subscribe` subscriptions in Redis: two sets per link,
 * `<prefix>subs:session:<id>` (its URIs) and `<prefix>subs:uri:<uri>` (its
 * sessions), so `notifyResourceUpdated` on any process finds every
 * subscriber in one SMEMBERS and a session's end clears its own in one
 * script. They live as long as their session: the server clears them when a
 * session is deleted or expires (`forgetSubscriptionsOnDelete`).
 */
export class RedisSubscriptionStore implements SubscriptionStore, TracedStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(connection: RedisConnection, prefix: string) {
    this.#connection = connection;
    this.#prefix = prefix;
  }

  /** Round trips become spans under the active request's (the server calls this; see `TracedStore`). */
  traceRoundTrips(telemetry: Telemetry): void {
    this.#connection.traceWith(telemetry);
  }

  async add(sessionId: string, uri: string): Promise<void> {
    await this.#connection.run(
      SUBSCRIPTION_ADD,
      [this.#sessionKey(sessionId), this.#uriKey(uri)],
      [uri, sessionId],
    );
  }

  async remove(sessionId: string, uri: string): Promise<boolean> {
    const removed = await this.#connection.run(
      SUBSCRIPTION_REMOVE,
      [this.#sessionKey(sessionId), this.#uriKey(uri)],
      [uri, sessionId],
    );
    return removed === 1;
  }

  async sessions(uri: string): Promise<readonly string[]> {
    const members = await this.#connection.command(["SMEMBERS", this.#uriKey(uri)]);
    // RESP3 has a set type; node-redis maps it to an array or a Set, depending on its type mapping.
    if (members instanceof Set) return [...members].map(String);
    return Array.isArray(members) ? members.map(String) : [];
  }

  async clear(sessionId: string): Promise<void> {
    await this.#connection.run(
      SUBSCRIPTION_CLEAR,
      [this.#sessionKey(sessionId)],
      [this.#uriKey(""), sessionId],
    );
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  #sessionKey(sessionId: string): string {
    return `${this.#prefix}subs:session:${sessionId}`;
  }

  #uriKey(uri: string): string {
    return `${this.#prefix}subs:uri:${uri}`;
  }
}
