import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP, MemoryEventStore, MemoryTaskStore } from "../../src/index.ts";

// Options are checked at run time (JavaScript users, `npx tsx`, misspellings):
// an unknown key is an error naming it, where it sits, and the known keys,
// never a setting silently left at its default.

/** Builds options the type checker would refuse, as a JavaScript user could. */
const loose = (value: unknown) => value as never;

test("cors.allowOrigins (the seed's allow_origins) is refused, not ignored, and origin suggested", () => {
  assert.throws(
    () => new FastMCP("s", { http: { cors: loose({ allowOrigins: ["https://app.example"] }) } }),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^FastMCP\("s"\): unknown option "http\.cors\.allowOrigins"/);
      assert.match(error.message, /did you mean "http\.cors\.origin"\?/);
      assert.match(error.message, /known options of http\.cors: origin, exposeHeaders, maxAge/);
      return true;
    },
  );
  assert.throws(
    () => new FastMCP("s", { http: { cors: loose({ allow_origins: ["https://app.example"] }) } }),
    /unknown option "http\.cors\.allow_origins"; did you mean "http\.cors\.origin"\?/,
  );
});

test("run() options over HTTP are checked, cors and legacySse inside them too", async () => {
  const mcp = new FastMCP("s");
  await assert.rejects(
    mcp.run({
      transport: "streamable-http",
      port: 0,
      cors: loose({ allowOrigins: ["https://app.example"] }),
    }),
    /^TypeError: FastMCP\("s"\)\.run\(\): unknown option "cors\.allowOrigins"; did you mean "cors\.origin"\?/,
  );
  await assert.rejects(
    mcp.run({ transport: "streamable-http", port: 0, legacySse: loose({ sse: "/events" }) }),
    /unknown option "legacySse\.sse"; did you mean "legacySse\.ssePath"\?/,
  );
  await assert.rejects(
    mcp.run(loose({ transport: "streamable-http", prot: 8080 })),
    /unknown option "prot"; did you mean "port"\?.*known options: maxBodyBytes, .*signal, workers\)/,
  );
});

test("run() names the valid transports, and an HTTP option without a transport says so", async () => {
  const mcp = new FastMCP("s");
  await assert.rejects(
    mcp.run(loose({ transport: "websocket" })),
    /unknown transport "websocket" \(known transports: stdio, streamable-http, http, sse\)/,
  );
  await assert.rejects(
    mcp.run(loose({ port: 8080 })),
    /"port" is an option of the HTTP transport, but the transport is stdio; pass transport: "streamable-http"/,
  );
  await assert.rejects(mcp.run(loose("stdio")), /run\(\): the options must be an object/);
  // Whatever the value, the error neither overflows nor echoes all of it.
  let deep: unknown = 0;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  await assert.rejects(mcp.run(loose({ transport: deep })), /unknown transport an array/);
  await assert.rejects(
    mcp.run(loose({ transport: "x".repeat(100_000) })),
    (error: Error) => error.message.length < 300,
  );
  await assert.rejects(mcp.run(loose({ constructor: 1 })), /unknown option "constructor"/);
});

test("server options: snake_case and near misses are suggested, nested objects checked", () => {
  assert.throws(
    () => new FastMCP("s", loose({ stateless_http: true })),
    /unknown option "stateless_http"; did you mean "statelessHttp"\?/,
  );
  assert.throws(
    () => new FastMCP("s", loose({ maskErrorDetail: true })),
    /unknown option "maskErrorDetail"; did you mean "maskErrorDetails"\?/,
  );
  assert.throws(
    () => new FastMCP("s", { cache: loose({ ttl: 1000 }) }),
    /unknown option "cache\.ttl"; did you mean "cache\.ttlMs"\?/,
  );
  assert.throws(
    () => new FastMCP("s", { http: loose({ maxBody: 10 }) }),
    /unknown option "http\.maxBody"; did you mean "http\.maxBodyBytes"\?/,
  );
  // Nothing close: no guess, but the known keys.
  assert.throws(
    () => new FastMCP("s", loose({ flavour: "vanilla" })),
    (error: Error) =>
      /unknown option "flavour" \(known options: version, title, /.test(error.message) &&
      !error.message.includes("did you mean"),
  );
  assert.throws(
    () => new FastMCP("s", loose("fast")),
    /the options must be an object, got the string "fast"/,
  );
  assert.throws(
    () => new FastMCP("s", { http: loose([]) }),
    /http must be an object, got an array/,
  );
  assert.throws(
    () => new FastMCP("s", { http: { cors: loose("*") } }),
    /http\.cors must be an object, got the string "\*"/,
  );
});

test("nodeHandler() options are checked", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.nodeHandler(loose({ paht: "/mcp" })),
    /^TypeError: FastMCP\("s"\)\.nodeHandler\(\): unknown option "paht"; did you mean "path"\?/,
  );
  assert.equal(typeof mcp.nodeHandler({ path: "/x", maxBodyBytes: 10, cors: true }), "function");
});

test("every documented option is accepted", () => {
  const mcp = new FastMCP("s", {
    version: "1.0.0",
    title: "S",
    description: "d",
    instructions: "i",
    websiteUrl: "https://example.com",
    icons: [],
    lifespan: async function* () {
      yield undefined;
    },
    statelessHttp: false,
    jsonResponse: false,
    streamableHttpPath: "/mcp",
    http: {
      maxBodyBytes: 1024,
      sessionIdleTimeoutMs: 1000,
      maxSessions: 10,
      allowedHosts: ["localhost"],
      allowedOrigins: ["https://app.example"],
      cors: { origin: ["https://app.example"], exposeHeaders: [], maxAge: 60 },
      eventStore: false,
      sseKeepAliveMs: 0,
      sseRetryMs: 100,
      resumeWindowMs: 100,
      legacySse: { ssePath: "/sse", messagesPath: "/messages" },
    },
    pageSize: 10,
    maskErrorDetails: true,
    cache: { ttlMs: 0, scope: "public" },
    clientRequestTimeoutMs: 1000,
    requestStateSecret: "0123456789abcdef0123456789abcdef",
    requestStateTtlMs: 1000,
    logLevel: "error",
    eventStore: new MemoryEventStore(),
    taskStore: new MemoryTaskStore(),
    tasks: { ttlMs: 60_000, pollIntervalMs: 1000 },
  });
  assert.equal(mcp.name, "s");
});
