/**
 * rateLimit(): a token bucket per caller, refused as JSON-RPC error 429 with
 * data.retryAfterSeconds, and over HTTP as status 429 with Retry-After.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { ErrorCode, FastMCP } from "../../src/index.ts";
import { rateLimit } from "../../src/middleware/index.ts";
import { TokenBuckets } from "../../src/middleware/token-buckets.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import {
  LEGACY_HEADERS,
  MODERN_HEADERS,
  MODERN_META,
  post,
  serveHttp,
  v1Http,
} from "../helpers/http.ts";

/** Two calls at once, then (at one per hour) nothing for a long while. */
function server(
  options: Parameters<typeof rateLimit>[0] = { requestsPerSecond: 1 / 3600, burst: 2 },
) {
  const mcp = new FastMCP("limited", {
    logLevel: "error",
    tokenVerifier: new StaticTokenVerifier({
      alice: { scopes: [], subject: "alice" },
      bob: { scopes: [], subject: "bob" },
    }),
  });
  mcp.tool("hello", () => "hi");
  mcp.use(rateLimit(options));
  return mcp;
}

async function refused(
  call: Promise<unknown>,
): Promise<{ code: number; data: unknown; message: string }> {
  const error = (await call.then(
    () => assert.fail("expected the call to be refused"),
    (e: unknown) => e,
  )) as { code: number; data: unknown; message: string };
  return error;
}

test("legacy (v1 client, in memory): the third call is refused with 429 and retry data", async () => {
  const mcp = server({ requestsPerSecond: 1 / 3600, burst: 2, methods: ["tools/call"] });
  const { client, close } = await v1InMemory(mcp);
  try {
    await client.callTool({ name: "hello", arguments: {} });
    await client.callTool({ name: "hello", arguments: {} });
    const error = await refused(client.callTool({ name: "hello", arguments: {} }));
    assert.equal(error.code, ErrorCode.RateLimited);
    assert.match(error.message, /Rate limit exceeded: retry in \d+(\.\d)? s/);
    const seconds = (error.data as { retryAfterSeconds: number }).retryAfterSeconds;
    assert.ok(seconds > 3000 && seconds <= 3600, String(seconds));
    // Methods not named are not limited.
    await client.listTools();
    // Another connection has a bucket of its own.
    const other = await v1InMemory(mcp);
    await other.client.callTool({ name: "hello", arguments: {} });
    await other.close();
  } finally {
    await close();
  }
});

test("2026-07-28 (v2 client, in memory): refused with 429 too", async () => {
  const mcp = server({ requestsPerSecond: 1 / 3600, burst: 2, methods: ["tools/call"] });
  const { client, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
  try {
    await client.callTool({ name: "hello", arguments: {} });
    await client.callTool({ name: "hello", arguments: {} });
    const error = await refused(client.callTool({ name: "hello", arguments: {} }));
    assert.equal(error.code, ErrorCode.RateLimited);
  } finally {
    await close();
  }
});

test("over HTTP: status 429 with Retry-After, the JSON-RPC error in the body, per token subject", async () => {
  const served = await serveHttp(server({ requestsPerSecond: 1 / 3600, burst: 1, by: "subject" }), {
    cors: { origin: ["http://localhost:3000"] },
  });
  const call = (id: number, token: string) =>
    post(
      served.url,
      {
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "hello", arguments: {}, _meta: MODERN_META },
      },
      {
        ...MODERN_HEADERS,
        authorization: `Bearer ${token}`,
        "mcp-method": "tools/call",
        "mcp-name": "hello",
        origin: "http://localhost:3000",
      },
    );
  try {
    assert.equal((await call(1, "alice")).status, 200);
    const second = await call(2, "alice");
    assert.equal(second.status, 429);
    const retryAfter = Number(second.headers.get("retry-after"));
    // A browser client may read it (CORS).
    assert.match(second.headers.get("access-control-expose-headers") ?? "", /Retry-After/);
    assert.ok(retryAfter > 3000 && retryAfter <= 3600, String(retryAfter));
    const body = second.body as { id: number; error: { code: number; data: unknown } };
    assert.equal(body.id, 2);
    assert.equal(body.error.code, 429);
    // Bob's subject has its own bucket.
    assert.equal((await call(3, "bob")).status, 200);
  } finally {
    await served.stop();
  }
});

test("over HTTP, legacy session: 429 with Retry-After", async () => {
  const served = await serveHttp(
    server({ requestsPerSecond: 1 / 3600, burst: 1, methods: ["tools/call"] }),
  );
  try {
    const sessionId = await legacySessionWithToken(served.url);
    const call = (id: number) =>
      post(
        served.url,
        { jsonrpc: "2.0", id, method: "tools/call", params: { name: "hello", arguments: {} } },
        { ...LEGACY_HEADERS, "mcp-session-id": sessionId, authorization: "Bearer alice" },
      );
    assert.equal((await call(2)).status, 200);
    const refusedCall = await call(3);
    assert.equal(refusedCall.status, 429);
    assert.ok(Number(refusedCall.headers.get("retry-after")) > 0);
  } finally {
    await served.stop();
  }
});

test("over HTTP, the official v1 client's call is refused (per session) and names the limit", async () => {
  const mcp = new FastMCP("open", { logLevel: "error" });
  mcp.tool("hello", () => "hi");
  mcp.use(rateLimit({ requestsPerSecond: 1 / 3600, burst: 1, methods: ["tools/call"] }));
  const served = await serveHttp(mcp);
  try {
    const first = await v1Http(served.url);
    const second = await v1Http(served.url);
    try {
      await first.client.callTool({ name: "hello", arguments: {} });
      const error = await refused(first.client.callTool({ name: "hello", arguments: {} }));
      assert.match(error.message, /429/);
      assert.match(error.message, /Rate limit exceeded/);
      // Another session, another bucket.
      await second.client.callTool({ name: "hello", arguments: {} });
    } finally {
      await first.close();
      await second.close();
    }
  } finally {
    await served.stop();
  }
});

async function legacySessionWithToken(url: string): Promise<string> {
  const init = await post(
    url,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      },
    },
    { ...LEGACY_HEADERS, authorization: "Bearer alice" },
  );
  const id = init.headers.get("mcp-session-id");
  assert.ok(id, `no session (status ${init.status})`);
  return id;
}

test("buckets refill at the rate, and idle ones are dropped when there are too many", () => {
  const buckets = new TokenBuckets(1 / 1000, 2, 3);
  assert.equal(buckets.take("a", 0), 0);
  assert.equal(buckets.take("a", 0), 0);
  assert.equal(buckets.take("a", 0), 1000);
  assert.equal(buckets.take("a", 500), 500);
  assert.equal(buckets.take("a", 1000), 0);
  buckets.take("b", 1000);
  buckets.take("c", 1000);
  assert.equal(buckets.size, 3);
  // At 10 s every bucket is full again: all three go before "d" is added.
  buckets.take("d", 10_000);
  assert.equal(buckets.size, 1);
  // All busy: the oldest go.
  buckets.take("e", 10_000);
  buckets.take("f", 10_000);
  buckets.take("g", 10_000);
  assert.ok(buckets.size <= 3);
});

test("rateLimit() refuses bad options by name", () => {
  assert.throws(
    () => rateLimit({ requestsPerSecond: 0 }),
    /requestsPerSecond must be a positive number/,
  );
  assert.throws(
    () => rateLimit({ requestsPerSecond: 1, perKey: 1 } as never),
    /rateLimit\(\): unknown option "perKey"/,
  );
  assert.throws(() => rateLimit({ requestsPerSecond: 1, by: "ip" as never }), /by must be/);
  assert.throws(() => rateLimit({ requestsPerSecond: 1, burst: 0.5 }), /burst must be at least 1/);
});
