import { toJson } from "../../protocol/wire-json.js";
import type { StreamSink } from "./exchange.js";

/** Headers every SSE response carries; `X-Accel-Buffering: no` stops nginx holding events back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** Encodes one SSE event. JSON never contains raw newlines, so `data` is one line. */
export function sseEvent(data: string, id?: string, event?: string): string {
  let out = "";
  if (event !== undefined) out += `event: ${event}\n`;
  if (id !== undefined) out += `id: ${id}\n`;
  return `${out}data: ${data}\n\n`;
}

/**
 * An open SSE response: writes events and keep-alive comments, and stops
 * both once the stream ends or the client goes away.
 */
export class SseWriter {
  readonly #sink: StreamSink;
  #timer: ReturnType<typeof setInterval> | undefined;
  #open = true;

  constructor(sink: StreamSink, keepAliveMs: number) {
    this.#sink = sink;
    if (keepAliveMs > 0) {
      this.#timer = setInterval(() => this.#write(": keep-alive\n\n"), keepAliveMs);
      this.#timer.unref?.();
    }
  }

  get open(): boolean {
    return this.#open;
  }

  /** Writes a message event; false when the stream is closed. */
  send(message: object, id?: string): boolean {
    return this.#write(sseEvent(toJson(message), id));
  }

  /** Writes raw SSE text (priming events, `endpoint` events). */
  raw(text: string): boolean {
    return this.#write(text);
  }

  end(): void {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#timer);
    this.#sink.end();
  }

  /** Called by whoever learns the client went away. */
  detach(): void {
    this.#open = false;
    clearInterval(this.#timer);
  }

  #write(text: string): boolean {
    if (!this.#open) return false;
    if (this.#sink.write(text)) return true;
    this.detach();
    return false;
  }
}
