import type { IncomingMessage, ServerResponse } from "node:http";
import { peerAddress } from "../../util/peer-address.js";
import { type BodyRead, type HttpExchange, type StreamSink, TOO_LARGE } from "./exchange.js";
import { endAfterBody, readNodeBody } from "./node-body.js";

/** `(req, res, next?)`: the signature node:http, Express and Connect share. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * An exchange over Node's own request and response objects: the body is read
 * from the socket as it arrives and SSE is written straight to it.
 */
export class NodeExchange implements HttpExchange {
  readonly method: string;
  readonly pathname: string;
  mcpMethod: string | undefined = undefined;
  mcpTarget: string | undefined = undefined;
  mcpSession: string | undefined = undefined;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #search: string;
  #query: URLSearchParams | undefined;
  #closed: AbortController | undefined;
  #maxBodyBytes = 0;
  #bodyTimeoutMs = 0;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
    this.method = req.method ?? "GET";
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    this.pathname = q === -1 ? url : url.slice(0, q);
    this.#search = q === -1 ? "" : url.slice(q);
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#search);
    return this.#query;
  }

  get url(): string {
    const req = this.#req as IncomingMessage & { originalUrl?: string };
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    return `${secure ? "https" : "http"}://${req.headers.host ?? "localhost"}${req.originalUrl ?? req.url ?? "/"}`;
  }

  get closed(): AbortSignal {
    if (!this.#closed) {
      const controller = new AbortController();
      this.#closed = controller;
      const res = this.#res;
      res.once("close", () => {
        if (!res.writableFinished) controller.abort(new Error("The client closed the connection"));
      });
    }
    return this.#closed.signal;
  }

  onClose(listener: (reason: unknown) => void): void {
    if (this.#closed) {
      const signal = this.#closed.signal;
      signal.addEventListener("abort", () => listener(signal.reason), { once: true });
      return;
    }
    const res = this.#res;
    const gone = () => new Error("The client closed the connection");
    // Already gone: say so now, as an aborted signal would.
    if (res.destroyed && !res.writableFinished) {
      listener(gone());
      return;
    }
    // `on`, not `once`: a response closes once, and `once` wraps every listener.
    res.on("close", () => {
      if (!res.writableFinished) listener(gone());
    });
  }

  get remoteAddress(): string | undefined {
    // A request an application built by hand may have no socket.
    const socket = this.#req.socket as IncomingMessage["socket"] | undefined;
    return peerAddress(socket?.remoteAddress);
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  headers(): Record<string, string> {
    // No prototype, like Node's own: header names are the client's, copied as plain keys.
    const out: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(this.#req.headers)) {
      if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return out;
  }

  readBody(maxBytes: number, timeoutMs: number): Promise<BodyRead> {
    const req = this.#req as IncomingMessage & { body?: unknown };
    // Express's json() or another body parser got there first.
    if (req.body !== undefined && (req.readableEnded || req.complete)) {
      if (typeof req.body === "string") return Promise.resolve(req.body);
      if (req.body instanceof Uint8Array)
        return Promise.resolve(Buffer.from(req.body).toString("utf8"));
      return Promise.resolve({ parsed: req.body });
    }
    // Kept for a 413, which reads and drops the rest of the body within the same limits.
    this.#maxBodyBytes = maxBytes;
    this.#bodyTimeoutMs = timeoutMs;
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBytes) return Promise.resolve(TOO_LARGE);
    return readNodeBody(req, maxBytes, timeoutMs);
  }

  reply(status: number, headers: Record<string, string>, body?: string): void {
    const res = this.#res;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    // A 413 goes out before the body has all arrived: the response ends (and
    // its connection closes) once the rest is dropped, so the client reads it.
    if (status === 413 && this.#bodyTimeoutMs > 0 && !this.#req.complete) {
      if (body !== undefined) res.write(body);
      endAfterBody(this.#req, res, this.#maxBodyBytes, this.#bodyTimeoutMs);
      return;
    }
    res.end(body);
  }

  stream(status: number, headers: Record<string, string>): StreamSink {
    const res = this.#res;
    // Small SSE events should leave at once, not wait for Nagle.
    res.socket?.setNoDelay(true);
    // What is written in one tick (headers, progress, the result) leaves in one write.
    let corked = false;
    const uncork = () => {
      corked = false;
      res.uncork();
    };
    const batch = () => {
      if (corked) return;
      corked = true;
      res.cork();
      process.nextTick(uncork);
    };
    res.writeHead(status, headers);
    batch();
    res.flushHeaders();
    return {
      write: (chunk) => {
        if (res.destroyed || res.writableEnded) return false;
        batch();
        res.write(chunk);
        return true;
      },
      end: () => {
        if (!res.writableEnded) res.end();
      },
    };
  }
}
