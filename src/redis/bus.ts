import type { Telemetry, TracedStore } from "../protocol/telemetry.js";
import type { Bus } from "../state/bus.js";
import type { RedisConnection } from "./connection.js";

type Listener = (message: unknown) => void;

/** One topic this process listens to: its listeners, the channel's one handler, and its SUBSCRIBE. */
interface Topic {
  readonly listeners: Set<Listener>;
  readonly handler: (text: string) => void;
  subscribed: Promise<void>;
}

/**
 * The bus on Redis pub/sub. Each process has one subscriber connection and
 * subscribes to each topic once, however many of its streams listen (a
 * channel per topic, `<prefix>bus:<topic>`); a message is parsed once and
 * handed to every local listener. Publishing goes through the command
 * connection, in order, so what one process publishes on a topic arrives in
 * that order everywhere (Redis keeps a connection's order); messages from
 * different processes have no order between them. Pub/sub is at most once:
 * what is published while a subscriber is disconnected does not reach it.
 * After a reconnection node-redis subscribes to every channel again.
 */
export class RedisBus implements Bus, TracedStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #onError: (message: string, error: unknown) => void;
  readonly #topics = new Map<string, Topic>();

  constructor(
    connection: RedisConnection,
    prefix: string,
    onError: (message: string, error: unknown) => void,
  ) {
    this.#connection = connection;
    this.#prefix = `${prefix}bus:`;
    this.#onError = onError;
  }

  /** Round trips become spans under the active request's (the server calls this; see `TracedStore`). */
  traceRoundTrips(telemetry: Telemetry): void {
    this.#connection.traceWith(telemetry);
  }

  async publish(topic: string, message: unknown): Promise<void> {
    await this.#connection.command(["PUBLISH", this.#prefix + topic, JSON.stringify(message)]);
  }

  async subscribe(topic: string, listener: Listener): Promise<() => Promise<void>> {
    let entry = this.#topics.get(topic);
    if (!entry) {
      const listeners = new Set<Listener>();
      const created: Topic = {
        listeners,
        handler: (text) => this.#deliver(topic, listeners, text),
        subscribed: Promise.resolve(),
      };
      created.subscribed = this.#listen(topic, created.handler);
      this.#topics.set(topic, created);
      entry = created;
      created.subscribed.catch(() => {
        // The next subscriber tries again.
        if (this.#topics.get(topic) === created) this.#topics.delete(topic);
      });
    }
    const target = entry;
    await target.subscribed;
    target.listeners.add(listener);
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      target.listeners.delete(listener);
      if (target.listeners.size > 0 || this.#topics.get(topic) !== target) return;
      this.#topics.delete(topic);
      // Only this handler goes: a new subscription to the topic since then keeps its own.
      // While Redis is down node-redis forgets it locally, so it is not subscribed again.
      await this.#connection.subscriberClient
        ?.unsubscribe(this.#prefix + topic, target.handler)
        .catch(() => undefined);
    };
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  async #listen(topic: string, handler: (text: string) => void): Promise<void> {
    const subscriber = await this.#connection.subscriber();
    await this.#connection.pubsub("SUBSCRIBE", () =>
      subscriber.subscribe(this.#prefix + topic, handler),
    );
  }

  #deliver(topic: string, listeners: Set<Listener>, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.#onError(`Ignoring a message that is not JSON on ${topic}`, error);
      return;
    }
    // A listener's failure is reported, and never reaches node-redis's reader or the others.
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.#onError(`A listener of ${topic} failed`, error);
      }
    }
  }
}
