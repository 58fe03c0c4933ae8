import { type HttpExchange, type StreamSink, TOO_LARGE } from "./exchange.js";

const encoder = new TextEncoder();

/**
 * An exchange over web-standard `Request`/`Response` (Hono, Bun, Deno,
 * Workers, Next.js). The response is ready once the endpoint replies or
 * starts a stream.
 */
export class FetchExchange implements HttpExchange {
  readonly method: string;
  readonly pathname: string;
  readonly url: string;
  readonly response: Promise<Response>;
  readonly #request: Request;
  readonly #parsed: URL;
  readonly #closed = new AbortController();
  #resolve!: (response: Response) => void;

  constructor(request: Request) {
    this.#request = request;
    this.method = request.method;
    this.url = request.url;
    this.#parsed = new URL(request.url);
    this.pathname = this.#parsed.pathname;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    const signal = request.signal as AbortSignal | undefined;
    signal?.addEventListener("abort", () => this.#closed.abort(signal.reason), { once: true });
  }

  get query(): URLSearchParams {
    return this.#parsed.searchParams;
  }

  get closed(): AbortSignal {
    return this.#closed.signal;
  }

  onClose(listener: (reason: unknown) => void): void {
    const signal = this.#closed.signal;
    if (signal.aborted) listener(signal.reason);
    else signal.addEventListener("abort", () => listener(signal.reason), { once: true });
  }

  header(name: string): string | undefined {
    return this.#request.headers.get(name) ?? undefined;
  }

  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    this.#request.headers.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }

  async readBody(maxBytes: number): Promise<string | typeof TOO_LARGE> {
    const declared = Number(this.#request.headers.get("content-length"));
    if (declared > maxBytes) return TOO_LARGE;
    const body = this.#request.body;
    if (!body) return "";
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return TOO_LARGE;
      }
      chunks.push(value);
    }
    const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size);
    return new TextDecoder().decode(bytes);
  }

  reply(status: number, headers: Record<string, string>, body?: string): void {
    this.#resolve(new Response(body ?? null, { status, headers }));
  }

  stream(status: number, headers: Record<string, string>): StreamSink {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const closed = this.#closed;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      cancel(reason) {
        open = false;
        closed.abort(reason ?? new Error("The client closed the stream"));
      },
    });
    this.#resolve(new Response(stream, { status, headers }));
    return {
      write: (chunk) => {
        if (!open) return false;
        controller.enqueue(encoder.encode(chunk));
        return true;
      },
      end: () => {
        if (!open) return;
        open = false;
        controller.close();
      },
    };
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
