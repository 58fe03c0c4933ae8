/** Limits and timeouts over real loopback HTTP: oversized bodies, slow and stalled clients. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { type AddressInfo, Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { FastMCP, MemoryEventStore } from "../../src/index.ts";
import {
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  postCall,
  type Served,
  serveHttp,
} from "../helpers/http.ts";

type EndpointOptions = Parameters<FastMCP["nodeHandler"]>[0];

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function server(name: string): FastMCP {
  const mcp = new FastMCP(name);
  mcp.tool("noop", () => "ok");
  return mcp;
}

/** `mcp.nodeHandler()` in a plain node:http server, as an application mounts it. */
async function mounted(
  mcp: FastMCP,
  options: EndpointOptions = {},
): Promise<Served & { server: Server }> {
  const handler = mcp.nodeHandler(options);
  const http = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    server: http,
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    stop: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await mcp.close();
    },
  };
}

/** A raw connection: what the server sent, and when (ms after connecting) it closed the connection. */
interface RawConnection {
  readonly socket: Socket;
  received(): string;
  readonly closed: Promise<number>;
}

async function connect(port: number): Promise<RawConnection> {
  const socket = new Socket();
  const opened = Date.now();
  let text = "";
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
  });
  // A write after the server closed fails (EPIPE, ECONNRESET); the close is what is measured.
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) =>
    socket.on("close", () => resolve(Date.now() - opened)),
  );
  await new Promise<void>((resolve) => socket.connect(port, "127.0.0.1", resolve));
  return { socket, received: () => text, closed };
}

/** Resolves with the time the connection closed, or rejects past `ms`. */
function closesWithin(conn: RawConnection, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    conn.closed.finally(() => clearTimeout(timer)),
    new Promise<number>((_, reject) => {
      timer = setTimeout(() => {
        conn.socket.destroy();
        reject(
          new Error(`still open after ${ms} ms; received: ${JSON.stringify(conn.received())}`),
        );
      }, ms);
    }),
  ]);
}

/** A 2026-07-28 `tools/list`, which needs no session. */
const TOOLS_LIST = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/list",
  params: { _meta: MODERN_META },
});

/** What the server sent once it matches `pattern`; rejects if the connection closes first. */
function receivedUntil(conn: RawConnection, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(conn.received())) return;
      conn.socket.off("data", check);
      resolve(conn.received());
    };
    conn.socket.on("data", check);
    void conn.closed.then(() =>
      reject(new Error(`closed without ${pattern}; received: ${JSON.stringify(conn.received())}`)),
    );
    check();
  });
}

/** A `tools/list` POST's head, declaring `length` bytes of body. */
function postHead(port: number, length: number, path = "/mcp"): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2026-07-28\r\n" +
    `Mcp-Method: tools/list\r\nContent-Length: ${length}\r\n\r\n`
  );
}

const FAST = { headersTimeoutMs: 300, bodyTimeoutMs: 300 } as const;

/** Reads a response stream until its text matches `pattern`; rejects past `ms`. */
async function readUntil(response: Response, pattern: RegExp, ms: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = setTimeout(() => void reader.cancel(), ms);
  try {
    while (!pattern.test(text)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the stream ended without ${pattern}; it carried: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
}

// Body time: bodyTimeoutMs, enforced by the endpoint under run() and nodeHandler() alike.

for (const [way, serve] of [
  ["run()", (mcp: FastMCP) => serveHttp(mcp, FAST)],
  // The application's server keeps node:http's own (much longer) deadlines: the endpoint's hold.
  ["nodeHandler()", (mcp: FastMCP) => mounted(mcp, FAST)],
] as const) {
  describe(`${way}: a body that does not arrive within bodyTimeoutMs gets 408`, () => {
    let served: Served;
    before(async () => {
      served = await serve(server("SlowBody"));
    });
    after(() => served.stop());

    test("headers, 10 bytes of a declared 1000, then silence", async () => {
      const conn = await connect(served.port);
      conn.socket.write(`${postHead(served.port, 1000)}${"x".repeat(10)}`);
      const ms = await closesWithin(conn, 3000);
      assert.match(conn.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(conn.received(), /\r\nconnection: close\r\n/i);
      assert.match(
        conn.received(),
        /\{"code":-32600,"message":"Request Timeout: the body did not arrive within 300 ms"\}/,
      );
      assert.ok(ms >= 250, `closed after ${ms} ms`);
    });

    test("a body trickled one byte every 50 ms", async () => {
      const conn = await connect(served.port);
      conn.socket.write(postHead(served.port, TOOLS_LIST.length));
      let sent = 0;
      const trickle = setInterval(() => {
        if (sent < TOOLS_LIST.length) conn.socket.write(TOOLS_LIST[sent++] as string);
      }, 50);
      try {
        await closesWithin(conn, 3000);
      } finally {
        clearInterval(trickle);
      }
      assert.match(conn.received(), /^HTTP\/1\.1 408 /);
      assert.ok(sent < TOOLS_LIST.length, `the whole body (${sent} bytes) was sent`);
    });

    test("a body in two parts within the limit is served, and so is the next request on the connection", async () => {
      const conn = await connect(served.port);
      conn.socket.write(`${postHead(served.port, TOOLS_LIST.length)}${TOOLS_LIST.slice(0, 20)}`);
      await sleep(150);
      conn.socket.write(TOOLS_LIST.slice(20));
      await sleep(500);
      // Past the body time of the first request: no timer of it is left to fire.
      conn.socket.write(`${postHead(served.port, TOOLS_LIST.length)}${TOOLS_LIST}`);
      await sleep(200);
      const answers = conn.received().match(/HTTP\/1\.1 \d+/g);
      assert.deepEqual(answers, ["HTTP/1.1 200", "HTTP/1.1 200"], conn.received());
      conn.socket.destroy();
    });
  });
}

test("a body that comes with its headers costs no timer; one that comes in parts gets one", async () => {
  // A delay no other timer uses, to count the body timers.
  const bodyTimeoutMs = 4321;
  const served = await mounted(server("Timers"), { bodyTimeoutMs });
  const original = globalThis.setTimeout;
  let armed = 0;
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    if (ms === bodyTimeoutMs) armed++;
    return original(handler, ms);
  }) as unknown as typeof setTimeout;
  try {
    for (let i = 0; i < 20; i++) {
      const response = await fetch(served.url, {
        method: "POST",
        headers: { ...MODERN_HEADERS, "mcp-method": "tools/list" },
        body: TOOLS_LIST,
      });
      assert.equal(response.status, 200);
      await response.text();
    }
    assert.equal(armed, 0);
    const conn = await connect(served.port);
    conn.socket.write(`${postHead(served.port, TOOLS_LIST.length)}${TOOLS_LIST.slice(0, 20)}`);
    await sleep(50);
    conn.socket.write(TOOLS_LIST.slice(20));
    await sleep(100);
    assert.match(conn.received(), /^HTTP\/1\.1 200 /);
    assert.equal(armed, 1);
    conn.socket.destroy();
  } finally {
    globalThis.setTimeout = original;
    await served.stop();
  }
});

// Header time: headersTimeoutMs, node:http's own deadline, for the server run() makes.

describe("run(): headers that do not arrive within headersTimeoutMs get a bare 408", () => {
  let served: Served;
  before(async () => {
    served = await serveHttp(server("SlowHeaders"), FAST);
  });
  after(() => served.stop());

  test("headers cut short, then silence", async () => {
    const conn = await connect(served.port);
    conn.socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\n`);
    const ms = await closesWithin(conn, 3000);
    assert.equal(conn.received(), "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    assert.ok(ms >= 250, `closed after ${ms} ms`);
  });

  test("headers trickled a line every 50 ms (slowloris)", async () => {
    const conn = await connect(served.port);
    conn.socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\n`);
    let lines = 0;
    const trickle = setInterval(() => conn.socket.write(`X-Pad-${lines++}: x\r\n`), 50);
    try {
      await closesWithin(conn, 3000);
    } finally {
      clearInterval(trickle);
    }
    assert.match(conn.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  test("a connection that sends nothing", async () => {
    const conn = await connect(served.port);
    await closesWithin(conn, 3000);
    assert.match(conn.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  test("a body the endpoint never reads (another path: 404) is cut after both deadlines", async () => {
    const conn = await connect(served.port);
    conn.socket.write(`${postHead(served.port, 1000, "/elsewhere")}${"x".repeat(10)}`);
    const ms = await closesWithin(conn, 3000);
    assert.match(conn.received(), /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.ok(ms >= 550, `closed after ${ms} ms`);
  });
});

describe("run(): response streams outlive the header and body deadlines", () => {
  // Longer than the deadlines (and than node:http's request deadline, their sum) and its checks.
  const OUTLIVE = 1000;
  let mcp: FastMCP;
  let served: Served;
  before(async () => {
    mcp = server("LongStreams");
    mcp.tool("slow", async (_args, ctx) => {
      for (let i = 0; i < OUTLIVE / 100; i++) {
        await ctx.reportProgress(i, OUTLIVE / 100);
        await sleep(100);
      }
      return "finished";
    });
    served = await serveHttp(mcp, { ...FAST, sseKeepAliveMs: 100 });
  });
  after(() => served.stop());

  test("a session's GET stream stays open, with keep-alive comments, and still carries notifications", async () => {
    const session = await legacySession(served.url);
    const stream = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    assert.equal(stream.status, 200);
    await sleep(OUTLIVE);
    mcp.tool("late_get", () => "ok");
    const text = await readUntil(stream, /notifications\/tools\/list_changed/, 2000);
    assert.ok((text.match(/^: keep-alive$/gm)?.length ?? 0) >= 5, text);
    await stream.body?.cancel();
  });

  test("a streamed reply (progress, then the result) runs to its end", async () => {
    const session = await legacySession(served.url);
    const response = await postCall(served.url, session, {
      name: "slow",
      _meta: { progressToken: "p" },
    });
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    await readUntil(response, /"text":"finished"/, OUTLIVE + 2000);
  });

  test("a subscriptions/listen stream stays open and still carries notifications", async () => {
    const listen = await fetch(served.url, {
      method: "POST",
      headers: { ...MODERN_HEADERS, "mcp-method": "subscriptions/listen" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: "listen",
        method: "subscriptions/listen",
        params: { notifications: { toolsListChanged: true }, _meta: MODERN_META },
      }),
    });
    await readUntil(listen, /notifications\/subscriptions\/acknowledged/, 2000);
    await sleep(OUTLIVE);
    mcp.tool("late_listen", () => "ok");
    await readUntil(listen, /notifications\/tools\/list_changed/, 2000);
    await listen.body?.cancel();
  });
});

test("the time limits are checked: whole milliseconds from 1", () => {
  for (const [key, value] of [
    ["headersTimeoutMs", 0],
    ["bodyTimeoutMs", -1],
    ["bodyTimeoutMs", 1.5],
    ["headersTimeoutMs", 2 ** 31],
  ] as const) {
    const mcp = new FastMCP("Checked", { http: { [key]: value } });
    assert.throws(
      () => mcp.nodeHandler(),
      new RegExp(
        `http\\.${key} must be a whole number of milliseconds from 1 to 2147483647, got ${value}`,
      ),
    );
  }
});

// Body size: maxBodyBytes. The 413 must reach the client, and what follows it is bounded.

/** Uploads from a process of its own (test/fixtures/upload-client.ts); the outcomes, counted. */
async function uploads(
  url: string,
  mode: "fetch" | "chunked",
  bytes: number,
  tries: number,
): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "test/fixtures/upload-client.ts", url, mode, String(bytes), String(tries)],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout) as Record<string, number>;
}

for (const [way, serve] of [
  ["run()", (mcp: FastMCP) => serveHttp(mcp)],
  ["nodeHandler()", mounted],
] as const) {
  describe(`${way}: a body over maxBodyBytes gets its 413 every time`, () => {
    let served: Served;
    before(async () => {
      served = await serve(server("TooLarge"));
    });
    after(() => served.stop());

    test("fetch with 5 MiB (Content-Length over the 4 MiB default), 10 tries", async () => {
      assert.deepEqual(await uploads(served.url, "fetch", 5 * MiB, 10), { 413: 10 });
    });

    test("chunked 6 MiB and 12 MiB uploads through node:http, 10 tries each", async () => {
      assert.deepEqual(await uploads(served.url, "chunked", 6 * MiB, 10), { 413: 10 });
      assert.deepEqual(await uploads(served.url, "chunked", 12 * MiB, 10), { 413: 10 });
    });
  });
}

for (const [way, serve] of [
  ["run()", (mcp: FastMCP) => serveHttp(mcp, { ...FAST, maxBodyBytes: 10_000 })],
  ["nodeHandler()", (mcp: FastMCP) => mounted(mcp, { ...FAST, maxBodyBytes: 10_000 })],
] as const) {
  describe(`${way}: the rest of a too-large body is dropped, within bounds`, () => {
    let served: Served;
    before(async () => {
      served = await serve(server("Excess"));
    });
    after(() => served.stop());

    test("the 413 comes at once; a body that then stalls is cut after bodyTimeoutMs", async () => {
      const conn = await connect(served.port);
      conn.socket.write(`${postHead(served.port, 1_000_000)}${"x".repeat(20_000)}`);
      await sleep(100);
      assert.match(conn.received(), /^HTTP\/1\.1 413 Payload Too Large\r\n/);
      assert.match(conn.received(), /\r\nconnection: close\r\n/i);
      assert.match(
        conn.received(),
        /\{"code":-32600,"message":"Payload Too Large: the body exceeds 10000 bytes"\}/,
      );
      const ms = await closesWithin(conn, 3000);
      assert.ok(ms >= 250, `closed after ${ms} ms`);
    });

    // No byte of the body is sent: only Content-Length can tell the server it is too
    // large. Without that check the server would wait for the body and answer 408.
    test("Content-Length over the limit: 413 before any of the body; the connection serves nothing more", async () => {
      const conn = await connect(served.port);
      conn.socket.write(postHead(served.port, 1_000_000));
      const answer = await receivedUntil(conn, /Payload Too Large: the body exceeds 10000 bytes/);
      assert.match(answer, /^HTTP\/1\.1 413 Payload Too Large\r\n/);
      assert.match(answer, /\r\nconnection: close\r\n/i);
      // A request sent next on the same connection is taken for the rest of the body, never served.
      conn.socket.write(`${postHead(served.port, TOOLS_LIST.length)}${TOOLS_LIST}`);
      await closesWithin(conn, 3000);
      assert.equal(conn.received().match(/HTTP\/1\.1 /g)?.length, 1, conn.received());
    });

    test("an upload that goes on and on is cut after 1 MiB more (4 × maxBodyBytes, at least 1 MiB)", async () => {
      const conn = await connect(served.port);
      conn.socket.write(postHead(served.port, 1024 ** 3));
      const chunk = Buffer.alloc(64 * 1024, "x");
      let sent = 0;
      let closed = false;
      void conn.closed.then(() => {
        closed = true;
      });
      while (!closed && sent < 256 * MiB) {
        sent += chunk.length;
        if (!conn.socket.write(chunk))
          await Promise.race([new Promise((r) => conn.socket.once("drain", r)), conn.closed]);
      }
      await closesWithin(conn, 3000);
      // What the kernel's buffers took in besides (a few MiB on loopback) is sent too.
      assert.ok(sent < 64 * MiB, `${sent} bytes were sent before the connection was cut`);
    });
  });
}

test("mcp.fetch: a body over maxBodyBytes gets 413 too", async () => {
  const mcp = new FastMCP("FetchLimit", { http: { maxBodyBytes: 10_000 } });
  const response = await mcp.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "x".repeat(20_000),
    }),
  );
  assert.equal(response.status, 413);
  assert.match(await response.text(), /Payload Too Large: the body exceeds 10000 bytes/);
  await mcp.close();
});

// What sessions' streams keep for a resume.

describe("resumable streams are kept within bounds", () => {
  test("a dropped GET stream collects for resumeWindowMs; later its Last-Event-ID gets 404", async () => {
    const mcp = server("Window");
    const served = await serveHttp(mcp, { resumeWindowMs: 300 });
    try {
      const session = await legacySession(served.url);
      const get = (lastEventId?: string) =>
        fetch(served.url, {
          headers: {
            accept: "text/event-stream",
            "mcp-session-id": session,
            ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
          },
        });
      const first = await get();
      const primed = await readUntil(first, /^id: \S+$/m, 2000);
      const id = /^id: (\S+)$/m.exec(primed)?.[1] as string;
      await first.body?.cancel();
      await sleep(50);
      mcp.tool("while_away", () => "ok");
      await sleep(50);
      const resumed = await get(id);
      assert.equal(resumed.status, 200);
      await readUntil(resumed, /notifications\/tools\/list_changed/, 2000);
      await resumed.body?.cancel();
      await sleep(600);
      const late = await get(id);
      assert.equal(late.status, 404);
      assert.match(await late.text(), /Not Found: unknown or expired Last-Event-ID/);
    } finally {
      await served.stop();
    }
  });

  test("a streamed reply delivered in full is kept for resumeWindowMs, then forgotten", async () => {
    const store = new MemoryEventStore();
    const mcp = server("Forget");
    mcp.tool("chatty", async (_args, ctx) => {
      await ctx.reportProgress(1, 2);
      return "done";
    });
    const served = await serveHttp(mcp, { eventStore: store, resumeWindowMs: 200 });
    try {
      const session = await legacySession(served.url);
      const response = await postCall(served.url, session, {
        name: "chatty",
        _meta: { progressToken: "p" },
      });
      assert.match(await response.text(), /"text":"done"/);
      // Kept: the server cannot tell that the client read the end (test/http/resume-drops.test.ts).
      assert.equal(store.streamCount, 1);
      for (let i = 0; i < 100 && store.streamCount > 0; i++) await sleep(10);
      assert.equal(store.streamCount, 0);
    } finally {
      await served.stop();
    }
  });

  test("the memory store keeps the last maxEventsPerStream events of a stream", async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await store.storeEvent("s", { n: i }));
    const replayed: unknown[] = [];
    await store.replayEventsAfter(ids[0] as string, {
      send: async (_id, message) => {
        replayed.push(message);
      },
    });
    // The second event was dropped: a client resuming from the first misses it.
    assert.deepEqual(replayed, [{ n: 2 }, { n: 3 }, { n: 4 }]);
  });

  test("the memory store forgets a stream untouched for retentionMs", async () => {
    const store = new MemoryEventStore({ retentionMs: 50 });
    const id = await store.storeEvent("s", { n: 1 });
    assert.equal(await store.getStreamIdForEventId(id), "s");
    for (let i = 0; i < 50 && store.streamCount > 0; i++) await sleep(20);
    assert.equal(await store.getStreamIdForEventId(id), undefined);
  });
});
