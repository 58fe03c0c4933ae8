/**
 * responseCache(): only declared tools and resources, per caller by default
 * (one user's result never reaches another), never errors, bounded.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP, ToolError } from "../../src/index.ts";
import { responseCache } from "../../src/middleware/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import { MODERN_HEADERS, MODERN_META, post, serveHttp } from "../helpers/http.ts";

function server(cache: ReturnType<typeof responseCache>) {
  const mcp = new FastMCP("cached", {
    logLevel: "error",
    tokenVerifier: new StaticTokenVerifier({
      alice: { scopes: [], subject: "alice" },
      bob: { scopes: [], subject: "bob" },
    }),
  });
  let runs = 0;
  mcp.tool("whoami", { input: { n: z.number() } }, ({ n }, ctx) => {
    runs++;
    return `${ctx.auth?.subject ?? "anonymous"} ${n} run ${runs}`;
  });
  mcp.tool("side_effect", () => `run ${++runs}`);
  mcp.tool("flaky", () => {
    runs++;
    throw new ToolError(`failed ${runs}`);
  });
  mcp.tool("forecast", () => `forecast ${++runs}`);
  mcp.resource("data://today", () => `today ${++runs}`);
  mcp.use(cache);
  return mcp;
}

const declared = () =>
  responseCache({
    tools: { whoami: true, flaky: true, forecast: { scope: "public", ttlMs: 60_000 } },
    resources: { "data://today": { ttlMs: 60_000 } },
  });

const text = (result: { content: unknown }) =>
  ((result.content as { text: string }[])[0] as { text: string }).text;

for (const [era, connect] of [
  ["legacy (v1 client)", v1InMemory],
  ["2026-07-28 (v2 client)", (s: FastMCP) => v2InMemory(s, { pin: "2026-07-28" })],
] as const) {
  test(`${era}: declared results come from the cache, undeclared tools always run`, async () => {
    const mcp = server(declared());
    const { client, close } = await connect(mcp);
    try {
      const call = async (name: string, args: Record<string, unknown> = {}) =>
        text((await client.callTool({ name, arguments: args })) as { content: unknown });
      const first = await call("whoami", { n: 1 });
      assert.equal(await call("whoami", { n: 1 }), first);
      assert.notEqual(await call("whoami", { n: 2 }), first, "other arguments, other entry");
      assert.notEqual(await call("side_effect"), await call("side_effect"));
      assert.notEqual(await call("flaky"), await call("flaky"), "tool errors are not cached");
      const read = async () =>
        ((await client.readResource({ uri: "data://today" })).contents[0] as { text: string }).text;
      assert.equal(await read(), await read());
    } finally {
      await close();
    }
  });
}

test("one caller's result never reaches another; public results are shared", async () => {
  const cache = declared();
  const mcp = server(cache);
  const a = await v1InMemory(mcp);
  const b = await v1InMemory(mcp);
  try {
    const call = async (c: typeof a, name: string) =>
      text((await c.client.callTool({ name, arguments: { n: 1 } })) as { content: unknown });
    const fromA = await call(a, "whoami");
    const fromB = await call(b, "whoami");
    assert.notEqual(fromA, fromB, "two connections, two entries");
    assert.equal(await call(a, "whoami"), fromA);
    assert.equal(await call(b, "forecast"), await call(a, "forecast"));
    cache.clear();
    assert.equal(cache.size, 0);
    assert.notEqual(await call(a, "whoami"), fromA, "cleared");
  } finally {
    await a.close();
    await b.close();
  }
});

test("over sessionless HTTP (2026-07-28): keyed by the token's subject", async () => {
  const served = await serveHttp(server(declared()));
  let id = 0;
  const call = async (token: string | undefined) => {
    const headers: Record<string, string> = {
      ...MODERN_HEADERS,
      "mcp-method": "tools/call",
      "mcp-name": "whoami",
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await post(
      served.url,
      {
        jsonrpc: "2.0",
        id: ++id,
        method: "tools/call",
        params: { name: "whoami", arguments: { n: 1 }, _meta: MODERN_META },
      },
      headers,
    );
    return text((response.body as { result: { content: unknown } }).result);
  };
  try {
    const alice = await call("alice");
    assert.match(alice, /^alice 1 run/);
    assert.equal(await call("alice"), alice);
    const bob = await call("bob");
    assert.match(bob, /^bob 1 run/, "bob never gets alice's entry");
    assert.equal(await call("bob"), bob);
  } finally {
    await served.stop();
  }
});

test("no identity at all (in-process identity function says so): not cached", async () => {
  const mcp = server(responseCache({ tools: { whoami: true }, identity: () => undefined }));
  const { client, close } = await v1InMemory(mcp);
  try {
    const call = async () =>
      text(
        (await client.callTool({ name: "whoami", arguments: { n: 1 } })) as { content: unknown },
      );
    assert.notEqual(await call(), await call());
  } finally {
    await close();
  }
});

test("entries are bounded by maxEntries", async () => {
  const cache = responseCache({ tools: { whoami: true }, maxEntries: 3 });
  const { client, close } = await v1InMemory(server(cache));
  try {
    for (let n = 0; n < 10; n++) await client.callTool({ name: "whoami", arguments: { n } });
    assert.equal(cache.size, 3);
  } finally {
    await close();
  }
});

test("responseCache() refuses bad options by name", () => {
  assert.throws(
    () => responseCache({ tool: {} } as never),
    /unknown option "tool"; did you mean "tools"/,
  );
  assert.throws(
    () => responseCache({ tools: { a: { ttl: 5 } as never } }),
    /unknown option "tools\["a"\]\.ttl"/,
  );
  assert.throws(
    () => responseCache({ tools: { a: { scope: "shared" as never } } }),
    /scope must be/,
  );
  assert.throws(() => responseCache({ ttlMs: -1 }), /ttlMs must be a positive number/);
});
