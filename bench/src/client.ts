import { Agent, type ClientRequest, type IncomingMessage, request } from "node:http";
import { type Exchange, initialize, initialized, LEGACY_VERSION, messagesOf } from "./messages.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly sessionId: string | undefined;
  readonly text: string;
}

/** POSTs an exchange with node:http (no fetch: its lazy start-up would blur cold-start times). */
export function post(
  url: string,
  exchange: Exchange,
  sessionId?: string,
  options: { fresh?: boolean } = {},
): Promise<Answer> {
  const body = JSON.stringify(exchange.body);
  const headers: Record<string, string> = { ...exchange.headers };
  if (sessionId !== undefined) headers["Mcp-Session-Id"] = sessionId;
  headers["Content-Length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers, agent: options.fresh ? false : agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const id = res.headers["mcp-session-id"];
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            sessionId: typeof id === "string" ? id : undefined,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends an exchange and reads its JSON-RPC messages. */
export async function ask(url: string, exchange: Exchange, sessionId?: string) {
  const answer = await post(url, exchange, sessionId);
  let messages: unknown[];
  try {
    messages = messagesOf(answer.contentType, answer.text);
  } catch {
    throw new Error(`HTTP ${answer.status}, unreadable body: ${answer.text.slice(0, 300)}`);
  }
  return { ...answer, messages };
}

/** Opens a legacy session at `version`: initialize, then notifications/initialized. */
export async function openSession(
  url: string,
  id: number | string = 0,
  version = LEGACY_VERSION,
): Promise<string> {
  const answer = await post(url, initialize(id, version));
  if (answer.status !== 200 || answer.sessionId === undefined)
    throw new Error(
      `initialize: HTTP ${answer.status}, no session id: ${answer.text.slice(0, 300)}`,
    );
  // A streamed initialize response is fine: it has ended by now.
  const note = await post(url, initialized(version), answer.sessionId);
  if (note.status >= 300)
    throw new Error(`notifications/initialized: HTTP ${note.status}: ${note.text.slice(0, 300)}`);
  return answer.sessionId;
}

/** One server-sent event: its id, if it has one, and its data (empty for a priming event). */
export interface SseEvent {
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * A response read as it arrives: an SSE stream event by event (`next`), any
 * other body whole (`text`). `drop` closes the connection mid-response, as a
 * client that lost its network would.
 */
export class StreamedAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly #request: ClientRequest;
  #buffer = "";
  readonly #events: SseEvent[] = [];
  /** "end": the server ended the response; "cut": the connection closed before that. */
  #finished: "end" | "cut" | undefined;
  #wake: (() => void) | undefined;

  constructor(req: ClientRequest, res: IncomingMessage) {
    this.#request = req;
    this.status = res.statusCode ?? 0;
    this.contentType = res.headers["content-type"] ?? null;
    const sse = this.contentType?.includes("text/event-stream") ?? false;
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      this.#buffer += chunk;
      if (sse) this.#parse();
      this.#notify();
    });
    res.on("end", () => this.#finish("end"));
    res.on("close", () => this.#finish("cut"));
    res.on("error", () => this.#finish("cut"));
  }

  /** The next event, or undefined once the stream is over (`cut` says how it ended). */
  async next(): Promise<SseEvent | undefined> {
    while (this.#events.length === 0 && this.#finished === undefined)
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    return this.#events.shift();
  }

  /** The whole body, once the response has ended. */
  async text(): Promise<string> {
    while (this.#finished === undefined)
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    return this.#buffer;
  }

  /** Whether the connection closed before the server ended the response. */
  get cut(): boolean {
    return this.#finished === "cut";
  }

  /** Closes the connection now, mid-response (an ended response's connection is left to be reused). */
  drop(): void {
    if (this.#finished === undefined) this.#request.destroy();
  }

  #parse(): void {
    for (let end = this.#buffer.indexOf("\n\n"); end !== -1; end = this.#buffer.indexOf("\n\n")) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("id:")) id = line.slice(3).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      // Comment-only blocks (keep-alives) carry neither.
      if (id !== undefined || data.length > 0) this.#events.push({ id, data: data.join("\n") });
    }
  }

  #finish(how: "end" | "cut"): void {
    this.#finished ??= how;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** Sends a request and hands back its response as it arrives (see `StreamedAnswer`). */
export function send(
  url: string,
  method: "GET" | "POST" | "DELETE",
  headers: Readonly<Record<string, string>>,
  body?: object,
): Promise<StreamedAnswer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const all: Record<string, string> = { ...headers };
  if (text !== undefined) all["Content-Length"] = String(Buffer.byteLength(text));
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: all, agent }, (res) =>
      resolve(new StreamedAnswer(req, res)),
    );
    req.on("error", reject);
    req.end(text);
  });
}

/** Runs `count` tasks, `concurrency` at a time. */
export async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function closeClient(): void {
  agent.destroy();
}
