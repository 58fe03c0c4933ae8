/**
 * The Host guard under mcp.fetch: on by itself where the runtime says the
 * server listens on loopback only (Bun hands over its server), as run() does;
 * off where it does not say (Workers, Deno, a bare call) unless
 * http.allowedHosts lists the names. Bun itself: test/runtimes/bun.test.ts
 * (its example sets no allowedHosts and a foreign Host gets 403).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META } from "../helpers/http.ts";

/** The two parts of Bun's server that mcp.fetch reads: where it is bound, and requestIP. */
function bunServer(bound: string) {
  return {
    address: { address: bound, family: bound.includes(":") ? "IPv6" : "IPv4", port: 8000 },
    requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 40000 }),
  };
}

function listTools(host: string): Request {
  return new Request(`http://${host}/mcp`, {
    method: "POST",
    headers: { ...MODERN_HEADERS, host, "mcp-method": "tools/list" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: { _meta: MODERN_META },
    }),
  });
}

async function status(mcp: FastMCP, host: string, ...context: object[]): Promise<number> {
  const response = await mcp.fetch(listTools(host), ...context);
  await response.body?.cancel();
  return response.status;
}

test("Bun on loopback: only loopback Host names, without allowedHosts", async () => {
  const mcp = new FastMCP("guarded");
  try {
    for (const bound of ["127.0.0.1", "::1"]) {
      const server = bunServer(bound);
      assert.equal(await status(mcp, "evil.example:8000", server), 403);
      for (const host of ["localhost:8000", "127.0.0.1:8000", "[::1]:8000"])
        assert.equal(await status(mcp, host, server), 200, host);
    }
    const refused = await mcp.fetch(listTools("evil.example"), bunServer("127.0.0.1"));
    assert.match(await refused.text(), /Host \\"evil\.example\\" is not allowed/);
  } finally {
    await mcp.close();
  }
});

test("Bun on every interface (its default, `::`, or 0.0.0.0): no guard without allowedHosts", async () => {
  const mcp = new FastMCP("open");
  try {
    for (const bound of ["::", "0.0.0.0", "192.0.2.1"])
      assert.equal(await status(mcp, "mcp.example.com", bunServer(bound)), 200, bound);
  } finally {
    await mcp.close();
  }
});

test("allowedHosts replaces the loopback names; without a server said, only allowedHosts guards", async () => {
  const listed = new FastMCP("listed", { http: { allowedHosts: ["mcp.example.com"] } });
  const bare = new FastMCP("bare");
  try {
    assert.equal(await status(listed, "mcp.example.com", bunServer("127.0.0.1")), 200);
    assert.equal(await status(listed, "localhost", bunServer("127.0.0.1")), 403);
    assert.equal(await status(listed, "evil.example"), 403);
    // Workers, Deno and a bare call say nothing of where they listen.
    assert.equal(await status(bare, "evil.example"), 200);
    assert.equal(
      await status(bare, "evil.example", { remoteAddr: { hostname: "127.0.0.1" } }),
      200,
    );
  } finally {
    await listed.close();
    await bare.close();
  }
});
