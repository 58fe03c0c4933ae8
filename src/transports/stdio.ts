import type { Readable, Writable } from "node:stream";
import type { MessageTransport } from "./connection.js";
import { encodeLine, LineDecoder } from "./framing.js";

/**
 * Input streams a started transport reads. Two readers of one stdin would
 * both handle every request (two answers per id, side effects twice), so a
 * second one is refused until the first closes.
 */
const claimed = new WeakSet<Readable>();

/**
 * Newline-delimited JSON over stdin/stdout. stdout carries protocol messages
 * only: the server's own logs go to stderr. When stdin ends, stdout stays
 * open until the server has answered what came before (`oninputend`), so
 * `printf '...' | node server.js` gets every answer.
 */
export class StdioServerTransport implements MessageTransport {
  onmessage?: ((message: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  oninputend?: (() => void) | undefined;
  #closed = false;
  #started = false;
  readonly #decoder: LineDecoder;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
  ) {
    this.#decoder = new LineDecoder(
      (message) => this.onmessage?.(message),
      (error) => void this.send(error),
    );
  }

  readonly #onData = (chunk: Buffer | string) => this.#decoder.push(chunk);
  readonly #onEnd = () => {
    this.#stopReading();
    this.#decoder.end();
    if (this.oninputend) this.oninputend();
    else void this.close();
  };
  readonly #onError = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    if (this.#started) throw new Error("This StdioServerTransport is already started");
    if (claimed.has(this.input))
      throw new Error(
        this.input === process.stdin
          ? "stdin is already being served (a second run() or connect() of stdio while the first runs); serve stdio once per process"
          : "This input stream is already being served by another StdioServerTransport",
      );
    claimed.add(this.input);
    this.#started = true;
    this.input.on("data", this.#onData);
    this.input.on("end", this.#onEnd);
    this.input.on("error", this.#onError);
    this.output.on("error", this.#onError);
  }

  send(message: object): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      // Resolve on write completion or immediately if buffered; never wait for 'drain' forever.
      if (this.output.write(encodeLine(message))) resolve();
      else this.output.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopReading();
    this.onclose?.();
  }

  #stopReading(): void {
    if (this.#started) claimed.delete(this.input);
    this.input.off("data", this.#onData);
    this.input.off("end", this.#onEnd);
    this.input.off("error", this.#onError);
    if (this.input === process.stdin) this.input.pause();
  }
}
