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
  /**
   * Answers when the store can serve (a round trip to Redis, say); rejects
   * when it cannot. Optional: the readiness check (`run({ health })`) calls it
   * when present, and the in-memory stores, which cannot fail, have none.
   */
  ping?(): Promise<void>;
  /**
   * Forgets every stream of a session that ended. A stream is resumed with a
   * GET that names its session, so once the session is gone none of them can
   * be, however recent. The server names a session's streams
   * `<sessionId>-<suffix>`, with no "-" in the suffix. Without this method
   * they stay until the window or the store's own retention expires them.
   */
  deleteSessionStreams?(sessionId: string): Promise<void>;
}

interface StoredStream {
  readonly id: string;
  readonly events: { id: string; message: object }[];
  next: number;
  touchedAt: number;
  /** How long it may go untouched: the retention, or less once it is finished. */
  keepMs: number;
  /** Its session's id (the stream id before its last "-"), undefined without one. */
  readonly session: string | undefined;
  /**
   * Its neighbours among the session's streams, in the order they were made.
   * A linked list, not a Set per session: a Set would gain and lose an entry
   * per request (docs/architecture.md, "Hot paths").
   */
  older: StoredStream | undefined;
  newer: StoredStream | undefined;
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
 * `keepMs`, each at most one sweep later. The sweep runs every quarter of
 * the shortest of these (at most every minute), so under a steady load the
 * store holds about rate × window, at most 1.25 times that. (Sweeping as
 * often as the window let each finished stream live from one to two windows:
 * the soak held 30,000 to 60,000 streams at 1,000 a second.) A session's
 * streams also go as soon as the session ends (`deleteSessionStreams`).
 */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredStream>();
  /** Each session's newest stream, the end of its list. */
  readonly #sessions = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #retentionMs: number;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #sweepEveryMs: number;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#retentionMs = options.retentionMs ?? 5 * 60_000;
    this.#sweepEveryMs = sweepPeriod(this.#retentionMs);
  }

  /** Streams currently held (for tests and metrics). */
  get streamCount(): number {
    return this.#streams.size;
  }

  async storeEvent(streamId: string, message: object): Promise<string> {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = this.#add(streamId);
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
    const stream = this.#streams.get(streamId);
    if (stream) this.#remove(stream);
  }

  async deleteSessionStreams(sessionId: string): Promise<void> {
    let stream = this.#sessions.get(sessionId);
    this.#sessions.delete(sessionId);
    while (stream) {
      this.#streams.delete(stream.id);
      stream = stream.older;
    }
  }

  async finishStream(streamId: string, keepMs: number): Promise<void> {
    const stream = this.#streams.get(streamId);
    if (!stream) return;
    if (keepMs <= 0) {
      this.#remove(stream);
      return;
    }
    // The existing sweep forgets it: no timer per stream. The retention stays the outer bound.
    stream.keepMs = Math.min(keepMs, this.#retentionMs);
    stream.touchedAt = Date.now();
    if (sweepPeriod(stream.keepMs) < this.#sweepEveryMs) {
      // Rare: the first finish with a shorter window than the retention.
      this.#sweepEveryMs = sweepPeriod(stream.keepMs);
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
      for (const stream of this.#streams.values()) {
        if (now - stream.touchedAt > stream.keepMs) this.#remove(stream);
      }
      if (this.#streams.size === 0) {
        clearInterval(this.#sweeper);
        this.#sweeper = undefined;
      }
    }, this.#sweepEveryMs);
    this.#sweeper.unref?.();
  }

  #add(id: string): StoredStream {
    const dash = id.lastIndexOf("-");
    const session = dash > 0 ? id.slice(0, dash) : undefined;
    const stream: StoredStream = {
      id,
      events: [],
      next: 0,
      touchedAt: 0,
      keepMs: this.#retentionMs,
      session,
      older: undefined,
      newer: undefined,
    };
    this.#streams.set(id, stream);
    if (session !== undefined) {
      const newest = this.#sessions.get(session);
      if (newest) {
        newest.newer = stream;
        stream.older = newest;
      }
      this.#sessions.set(session, stream);
    }
    return stream;
  }

  #remove(stream: StoredStream): void {
    this.#streams.delete(stream.id);
    const { session, older, newer } = stream;
    if (session === undefined) return;
    if (older) older.newer = newer;
    if (newer) newer.older = older;
    else if (this.#sessions.get(session) === stream) {
      if (older) this.#sessions.set(session, older);
      else this.#sessions.delete(session);
    }
    stream.older = undefined;
    stream.newer = undefined;
  }
}

/** How often the sweep runs for a keep this long: a quarter of it, from 10 ms to a minute. */
function sweepPeriod(keepMs: number): number {
  return Math.max(10, Math.min(Math.ceil(keepMs / 4), 60_000));
}

function streamIdOf(eventId: string): string | undefined {
  const dot = eventId.lastIndexOf(".");
  return dot > 0 ? eventId.slice(0, dot) : undefined;
}
