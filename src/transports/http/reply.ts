import type { JsonRpcResponse } from "../../protocol/jsonrpc.js";
import type { Outbound } from "../../protocol/scope.js";
import { toJson } from "../../protocol/wire-json.js";
import type { EventStore } from "../../state/event-store.js";
import type { HttpExchange } from "./exchange.js";
import { SSE_HEADERS, SseWriter } from "./sse.js";

/** Where a request's stream is kept so a client can resume it (legacy sessions). */
export interface Resumable {
  readonly store: EventStore;
  readonly streamId: string;
  /** 2025-11-25 clients get a priming event (id, empty data) so they can reconnect at once. */
  readonly prime: boolean;
  readonly retryMs: number;
  /** How long a finished stream stays resumable (`resumeWindowMs`). */
  readonly keepMs: number;
}

export interface ReplyOptions {
  readonly ex: HttpExchange;
  /** Headers every response carries (CORS). */
  readonly headers: Readonly<Record<string, string>>;
  /** Answer with JSON only; messages before the result go to `elsewhere`. */
  readonly jsonOnly: boolean;
  readonly keepAliveMs: number;
  readonly resumable: Resumable | undefined;
  /** Where a JSON-only reply's notifications go instead (the session's GET stream), if anywhere. */
  readonly elsewhere: ((message: object) => void) | undefined;
  /** HTTP status for an error response (2026-07-28 maps some codes to 400/404). */
  readonly statusFor: (response: JsonRpcResponse) => number;
  /** Called once the reply is complete, so its stream can be forgotten. */
  readonly onDone: (() => void) | undefined;
  /** Told when the event store fails (Redis down); the message still goes out, without an id. */
  readonly onStoreError?: (message: string, error: unknown) => void;
}

/** Marks a stored priming event: replays skip it, since it carries no message. */
const PRIMING: object = Object.freeze({});

/**
 * The response to one POSTed request. It starts as nothing: a result that
 * comes first is sent as plain JSON; the first notification turns it into
 * an SSE stream that ends with the result. With a session, events are stored
 * so a dropped stream can be resumed from `Last-Event-ID`.
 */
export class RequestReply implements Outbound {
  /** Set when the request created a session (initialize), so the response can name it. */
  sessionId: string | undefined;
  readonly #options: ReplyOptions;
  #writer: SseWriter | undefined;
  #started = false;
  #done = false;
  /** Stored-event delivery is serialized, so ids and writes keep their order (made on first use). */
  #queue: Promise<void> | undefined;

  constructor(options: ReplyOptions) {
    this.#options = options;
  }

  send(message: object): void | Promise<void> {
    if (this.#done) return;
    const { jsonOnly, elsewhere, resumable } = this.#options;
    if (jsonOnly) {
      elsewhere?.(message);
      return;
    }
    this.#start();
    if (!resumable) {
      this.#writer?.send(message);
      return;
    }
    return this.#enqueue(async () => {
      let id: string | undefined;
      try {
        id = await resumable.store.storeEvent(resumable.streamId, message);
      } catch (error) {
        this.#storeFailed(error);
      }
      // The writer as it is now, after the store: a resume may have replaced it meanwhile.
      this.#writer?.send(message, id);
    });
  }

  /**
   * Sends the request's response (undefined: cancelled, nothing to say) and
   * ends the reply. A plain JSON answer is written at once, with no promise:
   * only a stream's end has anything to wait for.
   */
  finish(response: JsonRpcResponse | undefined): Promise<void> | undefined {
    if (this.#done) return;
    const { ex, headers, resumable } = this.#options;
    if (!this.#started) {
      this.#done = true;
      this.#options.onDone?.();
      if (response === undefined) {
        ex.reply(202, headers);
        return;
      }
      // Not `{ ...headers, more }`: V8 copies that slowly when `headers` has keys (CORS).
      const out: Record<string, string> = Object.assign({}, headers);
      out["content-type"] = "application/json";
      if (this.sessionId !== undefined) out["mcp-session-id"] = this.sessionId;
      const status = this.#options.statusFor(response);
      if (status === 429) setRetryAfter(out, response);
      ex.reply(status, out, toJson(response));
      return;
    }
    return this.#endStream(response, resumable);
  }

  async #endStream(
    response: JsonRpcResponse | undefined,
    resumable: ReplyOptions["resumable"],
  ): Promise<void> {
    if (response !== undefined) await this.send(response);
    if (this.#queue !== undefined) await this.#queue;
    this.#done = true;
    this.#writer?.end();
    this.#writer = undefined;
    this.#options.onDone?.();
    if (resumable)
      await Promise.resolve()
        .then(() => keepForResume(resumable))
        .catch((error: unknown) =>
          this.#options.onStoreError?.("Could not keep a finished SSE stream for resuming", error),
        );
  }

  /**
   * A message the store could not keep goes out without an id: the client
   * cannot resume past it, but it gets it, where failing the send would lose
   * it (the response included) for good.
   */
  #storeFailed(error: unknown): void {
    this.#options.onStoreError?.("Could not store an SSE event; sent without an id", error);
  }

  /**
   * Ends the HTTP response now while the request goes on (`ctx.closeSSEStream`),
   * when the client can come back for the rest: the stream is stored and the
   * client was primed with an event id. Messages sent meanwhile are stored
   * for the resumed stream. An answer that would be plain JSON starts the SSE
   * stream first, so the client gets the priming event before the close.
   */
  closeStream(): Promise<boolean> {
    const { jsonOnly, resumable } = this.#options;
    if (this.#done || jsonOnly || !resumable?.prime) return Promise.resolve(false);
    this.#start();
    return this.#enqueue(async () => {
      const writer = this.#writer;
      this.#writer = undefined;
      writer?.end();
    }).then(() => true);
  }

  /**
   * A client came back for this stream (GET with `Last-Event-ID`): replays
   * what it missed, then carries on live on the new connection.
   */
  resume(writer: SseWriter, lastEventId: string): Promise<void> {
    const resumable = this.#options.resumable;
    if (!resumable) return Promise.resolve();
    return this.#enqueue(async () => {
      this.#writer?.detach();
      this.#writer = writer;
      await replay(resumable.store, lastEventId, writer);
      // The reply finished while this resume waited its turn: the replay held the result.
      if (this.#done) {
        this.#writer = undefined;
        writer.end();
      }
    });
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const { ex, headers, keepAliveMs, resumable } = this.#options;
    const out: Record<string, string> = Object.assign({}, headers, SSE_HEADERS);
    if (this.sessionId !== undefined) out["mcp-session-id"] = this.sessionId;
    const writer = new SseWriter(ex.stream(200, out), keepAliveMs);
    this.#writer = writer;
    // A plain close listener: no AbortSignal is made for the stream of every call.
    ex.onClose(() => writer.detach());
    if (resumable?.prime) {
      this.#enqueue(async () => {
        let id: string;
        try {
          id = await resumable.store.storeEvent(resumable.streamId, PRIMING);
        } catch (error) {
          // Without a stored id there is nothing to resume from: no priming event.
          this.#storeFailed(error);
          return;
        }
        writer.raw(primingEvent(id, resumable.retryMs));
      });
    }
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue ? this.#queue.then(task, task) : Promise.resolve().then(task);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * A finished stream stays resumable for the window, whether or not its
 * connection looked alive at the end: the server cannot know that the client
 * read the result. A write that succeeded, even a response that ended cleanly
 * ('finish'), only means the bytes reached the socket; a connection that breaks
 * then loses them, and the client comes back with the id of the event before.
 */
function keepForResume({ store, streamId, keepMs }: Resumable): Promise<void> | undefined {
  if (keepMs === 0) return store.deleteStream?.(streamId);
  if (store.finishStream) return store.finishStream(streamId, keepMs);
  // A store that can delete but not be told (`finishStream` is ours): one timer per finished stream.
  const deleteStream = store.deleteStream;
  if (!deleteStream) return undefined;
  // Nobody is left to tell of a failure; the store's own limits are all that remain.
  const timer = setTimeout(() => {
    Promise.resolve()
      .then(() => deleteStream.call(store, streamId))
      .catch(() => undefined);
  }, keepMs);
  timer.unref?.();
  return undefined;
}

/** Sends a stream's stored events after `lastEventId`; priming markers are skipped. */
export async function replay(
  store: EventStore,
  lastEventId: string,
  writer: SseWriter,
): Promise<string> {
  return store.replayEventsAfter(lastEventId, {
    send: async (id, message) => {
      if (message === PRIMING || Object.keys(message).length === 0) return;
      writer.send(message, id);
    },
  });
}

export function primingEvent(id: string, retryMs: number): string {
  return `id: ${id}\n${retryMs > 0 ? `retry: ${retryMs}\n` : ""}data: \n\n`;
}

/** `Retry-After` (whole seconds) from a rate-limit error's `data.retryAfterSeconds`. */
function setRetryAfter(headers: Record<string, string>, response: JsonRpcResponse): void {
  const data = "error" in response ? response.error.data : undefined;
  const seconds = (data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0)
    headers["retry-after"] = String(Math.ceil(seconds));
}
