/**
 * Where SSE events wait so a client that lost its stream can resume it with
 * `Last-Event-ID`. The shape matches the official SDK's `EventStore`, so an
 * existing implementation plugs in unchanged.
 */
export interface EventStore {
  /** Stores a message sent on a stream and returns its event id (unique across streams). */
  storeEvent(streamId: string, message: object): Promise<string>;
  /** Which stream an event id belongs to, or undefined when it is unknown or expired. */
  getStreamIdForEventId?(eventId: string): Promise<string | undefined>;
  /** Sends every event of the event's stream that came after it, in order; returns the stream id. */
  replayEventsAfter(
    lastEventId: string,
    target: { send: (eventId: string, message: object) => Promise<void> },
  ): Promise<string>;
  /** Forgets a stream once it can no longer be resumed. */
  deleteStream?(streamId: string): Promise<void>;
}

interface StoredStream {
  readonly events: { id: string; message: object }[];
  next: number;
  touchedAt: number;
}

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first. Default 1000. */
  maxEventsPerStream?: number;
  /** A stream untouched this long is forgotten. Default 5 minutes. */
  retentionMs?: number;
}

/** Keeps events in this process, bounded per stream and in time. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #retentionMs: number;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#retentionMs = options.retentionMs ?? 5 * 60_000;
  }

  /** Streams currently held (for tests and metrics). */
  get streamCount(): number {
    return this.#streams.size;
  }

  async storeEvent(streamId: string, message: object): Promise<string> {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { events: [], next: 0, touchedAt: 0 };
      this.#streams.set(streamId, stream);
      this.#sweep();
    }
    const id = `${streamId}.${stream.next++}`;
    stream.events.push({ id, message });
    if (stream.events.length > this.#maxEvents) stream.events.shift();
    stream.touchedAt = Date.now();
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const streamId = streamIdOf(eventId);
    return streamId !== undefined && this.#streams.has(streamId) ? streamId : undefined;
  }

  async replayEventsAfter(
    lastEventId: string,
    target: { send: (eventId: string, message: object) => Promise<void> },
  ): Promise<string> {
    const streamId = streamIdOf(lastEventId);
    const stream = streamId === undefined ? undefined : this.#streams.get(streamId);
    if (streamId === undefined || !stream) throw new Error(`Unknown event id "${lastEventId}"`);
    const after = Number(lastEventId.slice(streamId.length + 1));
    stream.touchedAt = Date.now();
    for (const event of stream.events) {
      if (Number(event.id.slice(streamId.length + 1)) > after)
        await target.send(event.id, event.message);
    }
    return streamId;
  }

  async deleteStream(streamId: string): Promise<void> {
    this.#streams.delete(streamId);
  }

  /** Forgets streams past their retention, on an unref'd timer that runs only while streams exist. */
  #sweep(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(
      () => {
        const cutoff = Date.now() - this.#retentionMs;
        for (const [id, stream] of this.#streams) {
          if (stream.touchedAt < cutoff) this.#streams.delete(id);
        }
        if (this.#streams.size === 0) {
          clearInterval(this.#sweeper);
          this.#sweeper = undefined;
        }
      },
      Math.min(this.#retentionMs, 60_000),
    );
    this.#sweeper.unref?.();
  }
}

function streamIdOf(eventId: string): string | undefined {
  const dot = eventId.lastIndexOf(".");
  return dot > 0 ? eventId.slice(0, dot) : undefined;
}
