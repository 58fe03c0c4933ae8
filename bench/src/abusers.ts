/**
 * The abusive clients of `npm run bench -- --abuse` (see bench/README.md,
 * "Under abuse"). They run in a child process (abuse-child.ts), so their own
 * work does not slow the harness; each keeps its abuse going until stopped
 * (a connection the server closes is replaced at once) and counts what the
 * server did to it.
 */
import { type ClientRequest, request } from "node:http";
import { Socket } from "node:net";

/** What one abuser did and what the server answered. */
export interface AbuserTally {
  /** Connections opened (uploads: requests started). */
  opened: number;
  /** The server's answers by status ("408": 12). */
  answers: Record<string, number>;
  /** Connections the server closed, with or without an answer first. */
  closedByServer: number;
  /** Of those, how many it closed without answering. */
  closedUnanswered: number;
  /** Connections this abuser destroyed itself: its own drops mid-request. */
  dropped: number;
  /** Connections still open when the abuser was stopped. */
  openAtStop: number;
  /** Client-side errors by code (ECONNRESET, EPIPE...). */
  errors: Record<string, number>;
}

export interface Abuser {
  readonly tally: AbuserTally;
  start(): void;
  /** Stops, closes what is left open, and resolves once everything has ended. */
  stop(): Promise<void>;
}

export type AbuseKind = "slowloris" | "stalled" | "trickled" | "drops" | "oversized";

/** How hard each abuser pushes (documented in bench/README.md). */
export const ABUSE_SIZES = {
  slowloris: { sockets: 500, byteEveryMs: 3000 },
  stalled: { sockets: 200, declared: 1000, sent: 10 },
  trickled: { sockets: 200, declared: 1000, byteEveryMs: 1000 },
  drops: { wave: 1000 },
  oversized: { fetchBytes: 5 * 1024 * 1024, chunkedBytes: 6 * 1024 * 1024 },
} as const;

/** The normal call, the body the dropped requests carry (stateless legacy `tools/call`). */
const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "add", arguments: { a: 1, b: 2 } },
});

const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

function head(port: number, path: string, length: number): string {
  const lines = Object.entries(HEADERS).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${lines.join("")}Content-Length: ${length}\r\n\r\n`;
}

export function newTally(): AbuserTally {
  return {
    opened: 0,
    answers: {},
    closedByServer: 0,
    closedUnanswered: 0,
    dropped: 0,
    openAtStop: 0,
    errors: {},
  };
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * A raw connection that counts its fate: the server's answer (its status
 * line), who closed it, errors. `closed` resolves when it is gone.
 */
class RawConnection {
  readonly socket = new Socket();
  readonly closed: Promise<void>;
  #byUs = false;
  #status: string | undefined;
  #head = "";
  readonly #timers: ReturnType<typeof setInterval>[] = [];

  constructor(port: number, tally: AbuserTally, onOpen: (conn: RawConnection) => void) {
    tally.opened++;
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Buffer) => {
      if (this.#status !== undefined) return;
      this.#head += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(this.#head);
      if (match) {
        this.#status = match[1] as string;
        bump(tally.answers, this.#status);
      }
    });
    this.socket.on("error", (error: Error & { code?: string }) => {
      if (!this.#byUs) bump(tally.errors, error.code ?? error.message);
    });
    this.closed = new Promise((resolve) =>
      this.socket.on("close", () => {
        for (const timer of this.#timers) clearInterval(timer);
        if (!this.#byUs) {
          tally.closedByServer++;
          if (this.#status === undefined) tally.closedUnanswered++;
        }
        resolve();
      }),
    );
    this.socket.connect(port, "127.0.0.1", () => onOpen(this));
  }

  /** Writes unless the connection is gone (a write after the server closed only errors). */
  write(text: string, done?: () => void): void {
    if (!this.socket.destroyed) this.socket.write(text, done);
  }

  /** Runs `task` every `ms` while the connection lasts (nothing, once it is gone). */
  every(ms: number, task: () => void): void {
    if (this.socket.destroyed) return;
    this.#timers.push(setInterval(task, ms));
  }

  destroy(): void {
    this.#byUs = true;
    this.socket.destroy();
  }
}

/**
 * Keeps `count` connections open, each set going by `onOpen`; one the
 * server closes is replaced at once.
 */
class HeldConnections implements Abuser {
  readonly tally = newTally();
  readonly #live = new Set<RawConnection>();
  readonly #port: number;
  readonly #count: number;
  readonly #onOpen: (conn: RawConnection) => void;
  #running = false;

  constructor(port: number, count: number, onOpen: (conn: RawConnection) => void) {
    this.#port = port;
    this.#count = count;
    this.#onOpen = onOpen;
  }

  start(): void {
    this.#running = true;
    for (let i = 0; i < this.#count; i++) this.#open();
  }

  #open(): void {
    const conn = new RawConnection(this.#port, this.tally, this.#onOpen);
    this.#live.add(conn);
    void conn.closed.then(() => {
      this.#live.delete(conn);
      if (this.#running) this.#open();
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    const left = [...this.#live];
    this.tally.openAtStop += left.length;
    for (const conn of left) conn.destroy();
    await Promise.all(left.map((conn) => conn.closed));
  }
}

/** Sends the request line, then a byte of a header that never ends every few seconds. */
function slowloris(port: number, path: string): Abuser {
  const { sockets, byteEveryMs } = ABUSE_SIZES.slowloris;
  return new HeldConnections(port, sockets, (conn) => {
    conn.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
    // Spread over the interval, so the bytes do not all arrive in the same tick.
    setTimeout(() => conn.every(byteEveryMs, () => conn.write("a")), Math.random() * byteEveryMs);
  });
}

/** Declares a body of 1000 bytes, sends 10, then nothing. */
function stalled(port: number, path: string): Abuser {
  const { sockets, declared, sent } = ABUSE_SIZES.stalled;
  return new HeldConnections(port, sockets, (conn) =>
    conn.write(head(port, path, declared) + CALL.slice(0, sent)),
  );
}

/** Declares a body of 1000 bytes and sends it a byte a second. */
function trickled(port: number, path: string): Abuser {
  const { sockets, declared, byteEveryMs } = ABUSE_SIZES.trickled;
  const body = CALL.padEnd(declared);
  return new HeldConnections(port, sockets, (conn) => {
    conn.write(head(port, path, declared));
    let sent = 0;
    conn.every(byteEveryMs, () => conn.write(body[sent++] ?? " "));
  });
}

/**
 * Waves of 1,000 connections, each dropped mid-request: half after half the
 * body, half once the whole request is written (the server runs the call and
 * answers into a closed socket). The next wave starts when one has ended.
 */
function drops(port: number, path: string): Abuser {
  const tally = newTally();
  let running = false;
  let waves: Promise<void> = Promise.resolve();
  const halfBody = head(port, path, CALL.length) + CALL.slice(0, CALL.length / 2);
  const whole = head(port, path, CALL.length) + CALL;
  const wave = async () => {
    const conns: Promise<void>[] = [];
    for (let i = 0; i < ABUSE_SIZES.drops.wave; i++) {
      const conn = new RawConnection(port, tally, (c) =>
        c.write(i % 2 === 0 ? halfBody : whole, () => {
          tally.dropped++;
          c.destroy();
        }),
      );
      conns.push(conn.closed);
    }
    await Promise.all(conns);
  };
  return {
    tally,
    start() {
      running = true;
      waves = (async () => {
        while (running) await wave();
      })();
    },
    async stop() {
      running = false;
      await waves;
    },
  };
}

/** Uploads over maxBodyBytes, two loops side by side: fetch with 5 MiB, chunked 6 MiB. */
function oversized(port: number, path: string): Abuser {
  const tally = newTally();
  const url = `http://127.0.0.1:${port}${path}`;
  const { fetchBytes, chunkedBytes } = ABUSE_SIZES.oversized;
  const body = "x".repeat(fetchBytes);
  const chunk = Buffer.alloc(64 * 1024, "x");
  let running = false;
  const controller = new AbortController();
  let inFlight: ClientRequest | undefined;
  const outcome = (key: string) =>
    /^\d{3}$/.test(key) ? bump(tally.answers, key) : bump(tally.errors, key);
  const byFetch = async () => {
    tally.opened++;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: HEADERS,
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      outcome(String(response.status));
    } catch (error) {
      if (running) outcome((error as { cause?: { code?: string } }).cause?.code ?? String(error));
    }
  };
  const chunked = () =>
    new Promise<void>((resolve) => {
      tally.opened++;
      const req = request(url, {
        method: "POST",
        headers: { ...HEADERS, "transfer-encoding": "chunked" },
      });
      inFlight = req;
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => {
          outcome(String(res.statusCode));
          resolve();
        });
      });
      req.on("error", (error: Error & { code?: string }) => {
        if (running) outcome(error.code ?? error.message);
        resolve();
      });
      req.on("close", () => resolve());
      let sent = 0;
      const pump = () => {
        while (sent < chunkedBytes && running) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
  let loops: Promise<unknown> = Promise.resolve();
  const loop = async (upload: () => Promise<void>) => {
    while (running) await upload();
  };
  return {
    tally,
    start() {
      running = true;
      loops = Promise.all([loop(byFetch), loop(chunked)]);
    },
    async stop() {
      running = false;
      controller.abort();
      inFlight?.destroy();
      await loops;
    },
  };
}

export const ABUSERS: Record<AbuseKind, (port: number, path: string) => Abuser> = {
  slowloris,
  stalled,
  trickled,
  drops,
  oversized,
};
