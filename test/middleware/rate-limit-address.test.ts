/**
 * rateLimit() keys sessionless, tokenless callers by the peer's address:
 * over real loopback HTTP from 127.0.0.2 and 127.0.0.3 (Linux answers every
 * 127/8 address), X-Forwarded-For ignored unless forwardedFor() is asked for.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Http,
} from "@modelcontextprotocol/client";
import { Agent, fetch as undiciFetch } from "undici";
import { FastMCP } from "../../src/index.ts";
import {
  addressKey,
  forwardedFor,
  logging,
  type RequestLogEntry,
  rateLimit,
} from "../../src/middleware/index.ts";
import { MODERN_HEADERS, MODERN_META, post, type Served, serveHttp } from "../helpers/http.ts";

type RateLimitOptions = Parameters<typeof rateLimit>[0];

/** What logging() wrote: the fields (sink) and the lines (logger). */
interface Logged {
  readonly entries: RequestLogEntry[];
  readonly lines: string[];
}

/** One call per hour per key; `whoami` answers the address the server saw. */
function server(options: Partial<RateLimitOptions> = {}, log?: Logged): FastMCP {
  const mcp = new FastMCP("by-address", { logLevel: "error" });
  mcp.tool("whoami", (_args, ctx) => ctx.http?.remoteAddress ?? "unknown");
  if (log) {
    const line = (message: string) => log.lines.push(message);
    const logger = { debug: line, info: line, warn: line, error: line };
    mcp.use(logging({ sink: (entry) => log.entries.push(entry), logger }));
  }
  mcp.use(
    rateLimit({ requestsPerSecond: 1 / 3600, burst: 1, methods: ["tools/call"], ...options }),
  );
  return mcp;
}

const agents: Agent[] = [];

/** A fetch whose connections leave from `localAddress`. */
function fetchFrom(localAddress: string): typeof fetch {
  const dispatcher = new Agent({ localAddress });
  agents.push(dispatcher);
  return ((url: string | URL, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

/** The official v2 client, 2026-07-28 (no session), from `localAddress`. */
async function clientFrom(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<V2Client> {
  const client = new V2Client(
    { name: "address-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(
    new V2Http(new URL(url), { fetch: fetchFrom(localAddress), requestInit: { headers } }),
  );
  return client;
}

async function whoami(client: V2Client): Promise<string> {
  const result = await client.callTool({ name: "whoami", arguments: {} });
  const [content] = result.content as { type: string; text: string }[];
  return content?.text ?? "";
}

/** The v2 client's error for a 429 names the status and carries the JSON-RPC error's message. */
async function assertLimited(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => assert.fail("expected the call to be refused"),
    (e: unknown) => e as { message: string },
  );
  assert.match(error.message, /429/);
  assert.match(error.message, /Rate limit exceeded/);
}

after(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
});

describe("run(): sessionless callers are limited per address", () => {
  let served: Served;
  const log: Logged = { entries: [], lines: [] };
  before(async () => {
    served = await serveHttp(server({}, log));
  });
  after(() => served.stop());

  test("two addresses, two buckets; the same address shares one, whatever X-Forwarded-For says", async () => {
    const first = await clientFrom(served.url, "127.0.0.2");
    const second = await clientFrom(served.url, "127.0.0.3");
    const again = await clientFrom(served.url, "127.0.0.2", {
      "x-forwarded-for": "198.51.100.9",
    });
    try {
      assert.equal(await whoami(first), "127.0.0.2");
      await assertLimited(whoami(first));
      // Another address is not held back by the first one's calls.
      assert.equal(await whoami(second), "127.0.0.3");
      // A new client from the first address, claiming another one in a header, is.
      await assertLimited(whoami(again));
    } finally {
      await Promise.all([first.close(), second.close(), again.close()]);
    }
    // The log line names the address (and the address alone, no header).
    const line = log.lines.find((text) => text.startsWith("tools/call"));
    assert.match(line ?? "", / address=127\.0\.0\.2$/);
    const calls = log.entries.filter((entry) => entry.method === "tools/call");
    assert.deepEqual(
      calls.map((entry) => [entry.address, entry.status]),
      [
        ["127.0.0.2", "ok"],
        ["127.0.0.2", "error"],
        ["127.0.0.3", "ok"],
        ["127.0.0.2", "error"],
      ],
    );
  });
});

test("nodeHandler() in an application's node:http server: the socket's address too", async () => {
  const mcp = server();
  const handler = mcp.nodeHandler();
  const http = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  const first = await clientFrom(url, "127.0.0.4");
  const second = await clientFrom(url, "127.0.0.5");
  try {
    assert.equal(await whoami(first), "127.0.0.4");
    await assertLimited(whoami(first));
    assert.equal(await whoami(second), "127.0.0.5");
  } finally {
    await Promise.all([first.close(), second.close()]);
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await mcp.close();
  }
});

describe("examples/rate-limit-proxy.ts: by forwardedFor(1), behind one proxy", () => {
  let served: Served;
  before(async () => {
    const { mcp } = await import("../../examples/rate-limit-proxy.ts");
    served = await serveHttp(mcp);
  });
  after(() => served.stop());

  const call = (id: number, forwarded?: string) =>
    post(
      served.url,
      {
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "summarize", arguments: { text: "MCP" }, _meta: MODERN_META },
      },
      {
        ...MODERN_HEADERS,
        "mcp-method": "tools/call",
        "mcp-name": "summarize",
        ...(forwarded === undefined ? {} : { "x-forwarded-for": forwarded }),
      },
    ).then((response) => response.status);

  test("the entry the proxy appended is the key; what the client wrote before it is not", async () => {
    // Three at once for the client the proxy saw as 203.0.113.1, then none for 20 s.
    assert.deepEqual(
      [await call(1, "203.0.113.1"), await call(2, "203.0.113.1"), await call(3, "203.0.113.1")],
      [200, 200, 200],
    );
    assert.equal(await call(4, "203.0.113.1"), 429);
    // The same client writing a fresh address first: the proxy appended the real one.
    assert.equal(await call(5, "192.0.2.77, 203.0.113.1"), 429);
    // Another client behind the proxy.
    assert.equal(await call(6, "203.0.113.2"), 200);
    // A proxy on Node writes IPv4 clients mapped into IPv6: the same client, the same bucket,
    // and another mapped client is not lumped in with it.
    assert.equal(await call(8, "::ffff:203.0.113.1"), 429);
    assert.equal(await call(9, "::ffff:203.0.113.3"), 200);
    // Not through the proxy (no header): the peer's own address, a bucket of its own.
    assert.equal(await call(7), 200);
  });
});

describe("mcp.fetch: the address each runtime hands over", () => {
  const request = (headers: Record<string, string> = {}) =>
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "whoami", ...headers },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "whoami", arguments: {}, _meta: MODERN_META },
      }),
    });
  const answer = async (response: Response) => {
    const body = (await response.json()) as {
      result?: { content: { text: string }[] };
      error?: { code: number };
    };
    return body.result?.content[0]?.text ?? `error ${body.error?.code}`;
  };

  /** Bun's server: requestIP is a method that needs its object. */
  class BunLikeServer {
    readonly #ips = new Map<Request, string>();
    serve(req: Request, ip: string): Request {
      this.#ips.set(req, ip);
      return req;
    }
    requestIP(req: Request): { address: string; family: string; port: number } | null {
      const address = this.#ips.get(req);
      return address === undefined ? null : { address, family: "IPv4", port: 40000 };
    }
  }

  test("Bun's server, Deno's info, @hono/node-server's bindings, { remoteAddress }", async () => {
    const mcp = server({ requestsPerSecond: 1000, burst: 1000 });
    try {
      const bun = new BunLikeServer();
      assert.equal(
        await answer(await mcp.fetch(bun.serve(request(), "192.0.2.1"), bun)),
        "192.0.2.1",
      );
      const deno = { remoteAddr: { transport: "tcp", hostname: "2001:db8::7", port: 4711 } };
      assert.equal(await answer(await mcp.fetch(request(), deno)), "2001:db8::7");
      const hono = { incoming: { socket: { remoteAddress: "::ffff:192.0.2.3" } }, outgoing: {} };
      assert.equal(await answer(await mcp.fetch(request(), hono)), "192.0.2.3");
      const given = { remoteAddress: "192.0.2.4" };
      assert.equal(await answer(await mcp.fetch(request(), {}, given)), "192.0.2.4");
      // Nothing said: no address, and the headers a client can write are not taken for one.
      const spoofed = request({ "cf-connecting-ip": "192.0.2.5", "x-forwarded-for": "192.0.2.6" });
      assert.equal(await answer(await mcp.fetch(spoofed)), "unknown");
    } finally {
      await mcp.close();
    }
  });

  test("on Cloudflare (a request with cf), CF-Connecting-IP, which the edge sets", async () => {
    const mcp = server({ requestsPerSecond: 1000, burst: 1000 });
    try {
      // The edge cannot run here; `cf` is what only the Workers runtime puts on a request.
      const edge = request({ "cf-connecting-ip": "198.51.100.20" });
      Object.defineProperty(edge, "cf", { value: { colo: "FRA" } });
      assert.equal(
        await answer(await mcp.fetch(edge, {}, { waitUntil: () => {} })),
        "198.51.100.20",
      );
    } finally {
      await mcp.close();
    }
  });

  test("two addresses do not share a bucket; the same one does", async () => {
    const mcp = server();
    try {
      const from = (remoteAddress: string) => mcp.fetch(request(), { remoteAddress });
      assert.equal(await answer(await from("192.0.2.10")), "192.0.2.10");
      assert.equal((await from("192.0.2.10")).status, 429);
      assert.equal(await answer(await from("192.0.2.11")), "192.0.2.11");
      // One IPv6 host holds a whole /64: its addresses share a bucket.
      assert.equal((await from("2001:db8:0:1::1")).status, 200);
      assert.equal((await from("2001:db8:0:1:ffff::2")).status, 429);
      assert.equal((await from("2001:db8:0:2::1")).status, 200);
    } finally {
      await mcp.close();
    }
  });
});

test("addressKey: IPv4 as it is, IPv6 by its /64 in one spelling", () => {
  assert.equal(addressKey("192.0.2.1"), "address:192.0.2.1");
  assert.equal(addressKey("2001:DB8:0000:0001:aaaa::1"), "address:2001:db8:0:1::/64");
  assert.equal(addressKey("2001:db8::1"), "address:2001:db8:0:0::/64");
  assert.equal(addressKey("::1"), "address:0:0:0:0::/64");
  // IPv4 in the mapped IPv6 form is that IPv4 address, not the ::/64 network.
  assert.equal(addressKey("::ffff:203.0.113.7"), "address:203.0.113.7");
  assert.notEqual(addressKey("::ffff:203.0.113.7"), addressKey("::ffff:203.0.113.8"));
  assert.equal(addressKey("fe80::1%eth0"), "address:fe80:0:0:0::/64");
  assert.equal(addressKey("64:ff9b::192.0.2.1"), "address:64:ff9b:0:0::/64");
  assert.equal(addressKey("2001:db8:1:2:3:4:5:6"), "address:2001:db8:1:2::/64");
  // Not an address: kept whole, never merged with another.
  assert.equal(addressKey("not:an:address:at:all"), "address:not:an:address:at:all");
  assert.equal(addressKey("1:2:3:4:5:6:7:8:9"), "address:1:2:3:4:5:6:7:8:9");
});

test("forwardedFor() refuses a count that is not a positive whole number", () => {
  for (const bad of [0, -1, 1.5, Number.NaN])
    assert.throws(
      () => forwardedFor(bad),
      /forwardedFor\(\): proxies must be a positive whole number/,
    );
});
