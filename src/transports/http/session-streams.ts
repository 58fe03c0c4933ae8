import type { Bus } from "../../state/bus.js";
import type { EventStore } from "../../state/event-store.js";
import { replay } from "./reply.js";
import type { SseWriter } from "./sse.js";

interface StandaloneStream {
  writer: SseWriter | undefined;
  readonly streamId: string;
  unsubscribe: Promise<() => Promise<void>>;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
  queue: Promise<void>;
}

export interface SessionStreamsOptions {
  readonly bus: Bus;
  /** Bus topics whose messages a session's GET stream carries. */
  readonly topicsFor: (sessionId: string) => readonly string[];
  readonly store: EventStore | undefined;
  readonly resumeWindowMs: number;
  readonly onError: (message: string, error: unknown) => void;
}

/**
 * Each legacy session's standalone GET stream: server-initiated
 * notifications and requests, delivered from the bus. When the client drops
 * the stream, events keep being stored for a while so it can resume.
 */
export class SessionStreams {
  readonly #streams = new Map<string, StandaloneStream>();
  readonly #options: SessionStreamsOptions;

  constructor(options: SessionStreamsOptions) {
    this.#options = options;
  }

  static streamIdFor(sessionId: string): string {
    return `${sessionId}-g`;
  }

  /** Whether a live GET stream is attached (a second one is refused with 409). */
  isOpen(sessionId: string): boolean {
    return this.#streams.get(sessionId)?.writer?.open ?? false;
  }

  /** Attaches a GET stream, replaying from `lastEventId` when resuming. */
  open(sessionId: string, writer: SseWriter, lastEventId?: string): Promise<void> {
    let stream = this.#streams.get(sessionId);
    if (!stream) {
      const created: StandaloneStream = {
        writer: undefined,
        streamId: SessionStreams.streamIdFor(sessionId),
        unsubscribe: Promise.resolve(async () => {}),
        graceTimer: undefined,
        queue: Promise.resolve(),
      };
      const { bus, topicsFor } = this.#options;
      const listener = (message: unknown) => this.#deliver(created, message as object);
      const unsubscribes = topicsFor(sessionId).map((topic) => bus.subscribe(topic, listener));
      created.unsubscribe = Promise.all(unsubscribes).then((stops) => async () => {
        await Promise.all(stops.map((stop) => stop()));
      });
      this.#streams.set(sessionId, created);
      stream = created;
    }
    const target = stream;
    clearTimeout(target.graceTimer);
    target.graceTimer = undefined;
    target.writer?.detach();
    target.writer = writer;
    const store = this.#options.store;
    const ready = (async () => {
      await target.unsubscribe;
      if (lastEventId !== undefined && store) {
        target.queue = target.queue.then(() => replay(store, lastEventId, writer).then(() => {}));
        await target.queue;
      }
    })();
    return ready;
  }

  /** The client went away: keep collecting for a resume, then let go. */
  detached(sessionId: string, writer: SseWriter): void {
    const stream = this.#streams.get(sessionId);
    if (!stream || stream.writer !== writer) return;
    stream.writer = undefined;
    if (!this.#options.store || this.#options.resumeWindowMs === 0) {
      void this.close(sessionId);
      return;
    }
    stream.graceTimer = setTimeout(() => void this.close(sessionId), this.#options.resumeWindowMs);
    stream.graceTimer.unref?.();
  }

  /** Ends a session's GET stream for good (its resume window passed, the session ended, server closing). */
  async close(sessionId: string): Promise<void> {
    const stream = this.#streams.get(sessionId);
    if (!stream) return;
    this.#streams.delete(sessionId);
    clearTimeout(stream.graceTimer);
    stream.writer?.end();
    try {
      await (await stream.unsubscribe)();
      await this.#options.store?.deleteStream?.(stream.streamId);
    } catch (error) {
      this.#options.onError("Could not release a session stream", error);
    }
  }

  /**
   * The session ended (DELETE, idle expiry, the server): its GET stream
   * closes, and the event store forgets every stream of the session, its
   * requests' included. A resume names the session, so none of them can be
   * resumed now; keeping them for the resume window would hold (rate ×
   * window) streams for nothing, more than the sessions themselves.
   */
  async sessionEnded(sessionId: string): Promise<void> {
    // Asked before close() waits on the bus, so the memory store lets go in this very tick.
    const released = this.#forgetStreams(sessionId);
    await this.close(sessionId);
    await released;
  }

  async #forgetStreams(sessionId: string): Promise<void> {
    try {
      await this.#options.store?.deleteSessionStreams?.(sessionId);
    } catch (error) {
      this.#options.onError("Could not release a session's streams", error);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#streams.keys()].map((id) => this.close(id)));
  }

  get size(): number {
    return this.#streams.size;
  }

  #deliver(stream: StandaloneStream, message: object): void {
    const store = this.#options.store;
    if (!store) {
      stream.writer?.send(message);
      return;
    }
    stream.queue = stream.queue.then(async () => {
      let id: string | undefined;
      try {
        id = await store.storeEvent(stream.streamId, message);
      } catch (error) {
        // Delivered without an id (not resumable past it) rather than lost.
        this.#options.onError("Could not store an SSE event; sent without an id", error);
      }
      stream.writer?.send(message, id);
    });
  }
}
