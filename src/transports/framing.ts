import { ErrorCode, errorResponse, type JsonRpcErrorResponse } from "../protocol/jsonrpc.js";
import { toJson } from "../protocol/wire-json.js";

/**
 * Splits a byte stream into newline-delimited JSON messages (the stdio
 * framing). Bad lines become parse errors; the stream goes on.
 */
export class LineDecoder {
  #buffer = "";
  readonly #decoder = new TextDecoder();

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly onParseError: (error: JsonRpcErrorResponse) => void,
    private readonly maxLineBytes = 64 * 1024 * 1024,
  ) {}

  push(chunk: Uint8Array | string): void {
    this.#buffer +=
      typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    let newline = this.#buffer.indexOf("\n");
    while (newline !== -1) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#line(line);
      newline = this.#buffer.indexOf("\n");
    }
    if (this.#buffer.length > this.maxLineBytes) {
      this.#buffer = "";
      this.onParseError(
        errorResponse(
          null,
          ErrorCode.ParseError,
          `Parse error: message larger than ${this.maxLineBytes} bytes`,
        ),
      );
    }
  }

  /** The input ended: a last line without its newline is still a message. */
  end(): void {
    const rest = this.#buffer + this.#decoder.decode();
    this.#buffer = "";
    this.#line(rest);
  }

  #line(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onParseError(
        errorResponse(null, ErrorCode.ParseError, `Parse error: ${(error as Error).message}`),
      );
      return;
    }
    this.onMessage(message);
  }
}

/** One message, one line: JSON never contains a raw newline, so no escaping is needed. */
export function encodeLine(message: object): string {
  return `${toJson(message)}\n`;
}
