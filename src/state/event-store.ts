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
  /**
   * The stream is complete (its request answered): nothing more will be
   * stored, but a client that lost the end may still come for it. Keep it
   * until it has gone `keepMs` without being stored to or replayed, then
   * forget it. Without this method the server calls `deleteStream` after
   * `keepMs` itself.
   */
  finishStream?(streamId: string, keepMs: number): Promise<void>;
  /** Resolves when the store can be used now, rejects with the reason otherwise (readiness). */
  ping?(): Promise<void>;
}

interface StoredStream {
  readonly events: { id: string; message: object }[];
  next: number;
  touchedAt: number;
  /** How long it may go untouched: the retention, or less once it is finished. */
  keepMs: number;
}

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first. Default 1000. */
  maxEventsPerStream?: number;
  /**
   * A stream untouched this long is forgotten. Default 5 minutes. A finished
   * one goes sooner, after the `keepMs` it was finished with (the HTTP
   * option `resumeWindowMs`).
   */
  retentionMs?: number;
}

/**
 * Keeps events in this process, bounded per stream and in time: a stream is
 * forgotten after `retentionMs` untouched, a finished one after its
 * `keepMs`, each at most one sweep later (the sweep runs as often as the
 * shortest of these, and at least every minute).
 */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #retentionMs: number;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #sweepEveryMs: number;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#retentionMs = options.retentionMs ?? 5 * 60_000;
    this.#sweepEveryMs = Math.min(this.#retentionMs, 60_000);
  }

  /** Streams currently held (for tests and metrics). */
  get streamCount(): number {
    return this.#streams.size;
  }

  async storeEvent(streamId: string, message: object): Promise<string> {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { events: [], next: 0, touchedAt: 0, keepMs: this.#retentionMs };
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

  async finishStream(streamId: string, keepMs: number): Promise<void> {
    const stream = this.#streams.get(streamId);
    if (!stream) return;
    if (keepMs <= 0) {
      this.#streams.delete(streamId);
      return;
    }
    // The existing sweep forgets it: no timer per stream. The retention stays the outer bound.
    stream.keepMs = Math.min(keepMs, this.#retentionMs);
    stream.touchedAt = Date.now();
    if (stream.keepMs < this.#sweepEveryMs) {
      // Rare: the first finish with a shorter window than the sweep's period.
      this.#sweepEveryMs = stream.keepMs;
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
      this.#sweep();
    }
  }

  /** Forgets streams past their time, on an unref'd timer that runs only while streams exist. */
  #sweep(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, stream] of this.#streams) {
        if (now - stream.touchedAt > stream.keepMs) this.#streams.delete(id);
      }
      if (this.#streams.size === 0) {
        clearInterval(this.#sweeper);
        this.#sweeper = undefined;
      }
    }, this.#sweepEveryMs);
    this.#sweeper.unref?.();
  }
}

function streamIdOf(eventId: string): string | undefined {
  const dot = eventId.lastIndexOf(".");
  return dot > 0 ? eventId.slice(0, dot) : undefined;
}
