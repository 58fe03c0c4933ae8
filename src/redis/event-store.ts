import type { Telemetry, TracedStore } from "../protocol/telemetry.js";
import type { EventStore } from "../state/event-store.js";
import type { RedisConnection } from "./connection.js";
import { EVENT_ADD, EVENT_DELETE_SESSION, EVENT_FINISH, EVENT_REPLAY } from "./scripts.js";

export interface RedisEventStoreOptions {
  readonly prefix: string;
  /** Events kept per stream, roughly (MAXLEN ~): older ones are trimmed first. */
  readonly maxEventsPerStream: number;
  /** A stream untouched this long expires. */
  readonly retentionMs: number;
}

/** A Redis stream entry id: milliseconds, "-", sequence. */
const ENTRY_ID = /^\d+-\d+$/;

/**
 * SSE events on Redis Streams, so `Last-Event-ID` replays on any process:
 * one stream per SSE stream (`<prefix>events:<streamId>`, entries `m` =
 * message JSON), bounded in length (XADD MAXLEN ~) and in time (PEXPIRE,
 * renewed by every event and replay). An event id is `<streamId>.<entry id>`,
 * so it names its stream and Redis orders the replay (XRANGE after it,
 * exclusive: each event is sent once). A finished stream gets a marker entry
 * (`k` = its window) and a time to live of that window. Each session's stream
 * ids are kept in a set (`<prefix>streams:<sessionId>`), so
 * `deleteSessionStreams` forgets them all when the session ends.
 */
export class RedisEventStore implements EventStore, TracedStore {
  readonly #connection: RedisConnection;
  readonly #options: RedisEventStoreOptions;

  constructor(connection: RedisConnection, options: RedisEventStoreOptions) {
    this.#connection = connection;
    this.#options = options;
  }

  /** Round trips become spans under the active request's (the server calls this; see `TracedStore`). */
  traceRoundTrips(telemetry: Telemetry): void {
    this.#connection.traceWith(telemetry);
  }

  async storeEvent(streamId: string, message: object): Promise<string> {
    const { maxEventsPerStream, retentionMs } = this.#options;
    const entry = await this.#connection.run(
      EVENT_ADD,
      [this.#streamKey(streamId), this.#sessionKey(sessionOf(streamId))],
      [JSON.stringify(message), String(maxEventsPerStream), String(retentionMs), streamId],
    );
    return `${streamId}.${String(entry)}`;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const exists = await this.#connection.command(["EXISTS", this.#streamKey(parsed.streamId)]);
    return exists === 1 ? parsed.streamId : undefined;
  }

  async replayEventsAfter(
    lastEventId: string,
    target: { send: (eventId: string, message: object) => Promise<void> },
  ): Promise<string> {
    const parsed = parseEventId(lastEventId);
    const entries = parsed
      ? await this.#connection.run(
          EVENT_REPLAY,
          [this.#streamKey(parsed.streamId)],
          [parsed.entry, String(this.#options.retentionMs)],
        )
      : null;
    if (!parsed || !Array.isArray(entries)) throw new Error(`Unknown event id "${lastEventId}"`);
    for (const [entry, fields] of entries as [string, string[]][]) {
      // Only message entries are replayed; the finish marker ('k') carries none.
      if (fields[0] !== "m" || fields[1] === undefined) continue;
      await target.send(`${parsed.streamId}.${entry}`, JSON.parse(fields[1]) as object);
    }
    return parsed.streamId;
  }

  async deleteStream(streamId: string): Promise<void> {
    await this.#connection.command(["DEL", this.#streamKey(streamId)]);
  }

  async finishStream(streamId: string, keepMs: number): Promise<void> {
    if (keepMs <= 0) return this.deleteStream(streamId);
    const window = Math.ceil(Math.min(keepMs, this.#options.retentionMs));
    await this.#connection.run(EVENT_FINISH, [this.#streamKey(streamId)], [String(window)]);
  }

  /** Forgets every stream of a session that ended (the server names them `<sessionId>-<suffix>`). */
  async deleteSessionStreams(sessionId: string): Promise<void> {
    await this.#connection.run(
      EVENT_DELETE_SESSION,
      [this.#sessionKey(sessionId)],
      [this.#streamKey("")],
    );
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  #streamKey(streamId: string): string {
    return `${this.#options.prefix}events:${streamId}`;
  }

  #sessionKey(sessionId: string): string {
    return `${this.#options.prefix}streams:${sessionId}`;
  }
}

function parseEventId(eventId: string): { streamId: string; entry: string } | undefined {
  const dot = eventId.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const entry = eventId.slice(dot + 1);
  return ENTRY_ID.test(entry) ? { streamId: eventId.slice(0, dot), entry } : undefined;
}

/** The session a stream belongs to: its id up to the last "-" (the whole id if none). */
function sessionOf(streamId: string): string {
  const dash = streamId.lastIndexOf("-");
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}
