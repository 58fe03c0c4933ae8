import { type HttpExchange, type StreamSink, TOO_LARGE } from "./exchange.js";
import { fetchRemoteAddress, listensOnLoopback } from "./remote-address.js";
import type { WaitUntil } from "./wait-until.js";

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
  mcpMethod: string | undefined = undefined;
  mcpTarget: string | undefined = undefined;
  mcpSession: string | undefined = undefined;
  readonly response: Promise<Response>;
  readonly waitUntil: WaitUntil | undefined;
  readonly #request: Request;
  readonly #parsed: URL;
  /** What the runtime passed after the request, where the peer's address may be. */
  readonly #context: unknown;
  readonly #executionContext: unknown;
  #remoteAddress: { value: string | undefined } | undefined;
  /** Set when the client went away: the request aborted, or a stream was cancelled. */
  #closedFor: { reason: unknown } | undefined;
  #closeListeners: ((reason: unknown) => void)[] | undefined;
  /** Made only when someone asks for `closed` (streams do; a JSON reply never does). */
  #closedController: AbortController | undefined;
  #resolve!: (response: Response) => void;

  constructor(
    request: Request,
    waitUntil?: WaitUntil,
    context?: unknown,
    executionContext?: unknown,
  ) {
    this.#request = request;
    this.waitUntil = waitUntil;
    this.#context = context;
    this.#executionContext = executionContext;
    this.method = request.method;
    this.url = request.url;
    this.#parsed = new URL(request.url);
    this.pathname = this.#parsed.pathname;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    const signal = request.signal as AbortSignal | undefined;
    signal?.addEventListener("abort", () => this.#close(signal.reason), { once: true });
  }

  get query(): URLSearchParams {
    return this.#parsed.searchParams;
  }

  get closed(): AbortSignal {
    if (!this.#closedController) {
      this.#closedController = new AbortController();
      if (this.#closedFor) this.#closedController.abort(this.#closedFor.reason);
    }
    return this.#closedController.signal;
  }

  // Listeners in a list, not on an AbortSignal: on Node 20 an AbortController
  // per request costs the collector far more than its size.
  onClose(listener: (reason: unknown) => void): void {
    if (this.#closedFor) {
      listener(this.#closedFor.reason);
      return;
    }
    this.#closeListeners ??= [];
    this.#closeListeners.push(listener);
  }

  #close(reason: unknown): void {
    if (this.#closedFor) return;
    this.#closedFor = { reason };
    this.#closedController?.abort(reason);
    const listeners = this.#closeListeners;
    this.#closeListeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  get remoteAddress(): string | undefined {
    this.#remoteAddress ??= {
      value: fetchRemoteAddress(this.#request, this.#context, this.#executionContext),
    };
    return this.#remoteAddress.value;
  }

  get listensOnLoopback(): boolean | undefined {
    return listensOnLoopback(this.#context) ?? listensOnLoopback(this.#executionContext);
  }

  header(name: string): string | undefined {
    return this.#request.headers.get(name) ?? undefined;
  }

  headers(): Record<string, string> {
    // No prototype: a header named `__proto__` is kept as one, not taken for the prototype.
    const out: Record<string, string> = Object.create(null);
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
    const close = (reason: unknown) => this.#close(reason);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      cancel(reason) {
        open = false;
        close(reason ?? new Error("The client closed the stream"));
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
