/**
 * Real tokens through the real endpoint: a JWTVerifier on a loopback JWKS
 * behind the server, every kind of bad token sent over HTTP in both eras.
 * Each gets its status and challenge, and none reaches a handler.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { JWTVerifier } from "../../src/auth/index.ts";
import { FastMCP } from "../../src/index.ts";
import {
  LEGACY_HEADERS,
  MODERN_HEADERS,
  MODERN_META,
  post,
  type Served,
  serveHttp,
} from "../helpers/http.ts";
import {
  AUDIENCE,
  type JwksServer,
  makeKey,
  nowSec,
  sign,
  startJwksServer,
  type TestKey,
  unsignedToken,
} from "./fixtures.ts";

describe("JWTs over HTTP", () => {
  let jwks: JwksServer;
  let key: TestKey;
  let served: Served;
  let handled = 0;
  const revoked = new Set<string>();

  before(async () => {
    key = await makeKey("RS256", "k1");
    jwks = await startJwksServer([key.jwk]);
    const mcp = new FastMCP("jwt", {
      tokenVerifier: new JWTVerifier({
        jwksUri: jwks.url,
        issuer: "https://auth.example.com",
        audience: AUDIENCE,
        isRevoked: (claims) => revoked.has(String(claims.jti)),
      }),
      auth: {
        issuerUrl: "https://auth.example.com",
        resourceServerUrl: AUDIENCE,
        requiredScopes: ["read"],
      },
      logLevel: "silent",
    });
    mcp.tool("whoami", {}, (_args, ctx) => {
      handled++;
      return `${ctx.auth?.subject} via ${ctx.auth?.clientId}`;
    });
    mcp.tool("admin", { scopes: ["admin"] }, () => {
      handled++;
      return "admin";
    });
    served = await serveHttp(mcp);
  });
  after(async () => {
    await served.stop();
    await jwks.close();
  });

  const legacyCall = (name: string) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name, arguments: {} },
  });
  const modernCall = (name: string) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name, arguments: {}, _meta: MODERN_META },
  });
  async function both(token: string, name = "whoami") {
    const auth = { authorization: `Bearer ${token}` };
    // Stateless legacy POSTs need a session; 2026-07-28 ones stand alone. A
    // token refused at the door never gets as far as the session check.
    const legacy = await post(served.url, legacyCall(name), { ...LEGACY_HEADERS, ...auth });
    const modern = await post(served.url, modernCall(name), {
      ...MODERN_HEADERS,
      ...auth,
      "mcp-method": "tools/call",
      "mcp-name": name,
    });
    return [legacy, modern] as const;
  }

  test("a valid token is served, and ctx.auth holds its claims", async () => {
    const [, modern] = await both(await sign(key));
    assert.equal(modern.status, 200);
    const text = (modern.body as { result: { content: { text: string }[] } }).result.content[0]
      ?.text;
    assert.equal(text, "user-1 via client-1");
  });

  test("a key rotation: past the refetch cooldown, a token signed with the new key is served after one refetch", async (t) => {
    // jose refetches a key set at most every 30 s; Date is mocked to pass that.
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
    const next = await makeKey("RS256", "k2");
    jwks.keys = [key.jwk, next.jwk];
    t.mock.timers.tick(31_000);
    const fetched = jwks.requests;
    const [, modern] = await both(await sign(next));
    assert.equal(modern.status, 200);
    assert.equal(jwks.requests, fetched + 1);
  });

  test("every kind of bad token: 401 invalid_token in both eras, nothing handled", async () => {
    const other = await makeKey("RS256", "k1");
    const hmacWithPublicKey = (() => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const head = `${part({ alg: "HS256", kid: "k1" })}.${part({ iss: "https://auth.example.com", aud: AUDIENCE, sub: "x", scope: "read", exp: nowSec() + 600 })}`;
      return `${head}.${createHmac("sha256", key.pem).update(head).digest("base64url")}`;
    })();
    const jti = "revoked-jti";
    revoked.add(jti);
    const cases: Record<string, string> = {
      expired: await sign(key, { exp: nowSec() - 120, iat: nowSec() - 900 }),
      "not yet valid": await sign(key, { nbf: nowSec() + 600 }),
      "another issuer": await sign(key, { iss: "https://evil.example.com" }),
      "another audience": await sign(key, { aud: "https://other.example.com/mcp" }),
      "alg none": unsignedToken({
        iss: "https://auth.example.com",
        aud: AUDIENCE,
        sub: "x",
        scope: "read",
        exp: nowSec() + 600,
      }),
      "HS256 signed with the public key": hmacWithPublicKey,
      "signed by another key with the same kid": await sign(other),
      "unknown kid": await sign(other, {}, { kid: "never-seen" }),
      revoked: await sign(key, { jti }),
      "not a JWT": "definitely-not-a-jwt",
    };
    const before = handled;
    for (const [what, token] of Object.entries(cases)) {
      for (const reply of await both(token)) {
        assert.equal(reply.status, 401, what);
        assert.match(
          reply.headers.get("www-authenticate") ?? "",
          /^Bearer error="invalid_token"/,
          what,
        );
      }
    }
    assert.equal(handled, before);
  });

  test("missing the server's scope: 403; missing a tool's scope: 403 naming both", async () => {
    for (const reply of await both(await sign(key, { scope: "write" }))) {
      assert.equal(reply.status, 403);
      assert.match(
        reply.headers.get("www-authenticate") ?? "",
        /error="insufficient_scope", scope="read"/,
      );
    }
    const [, modern] = await both(await sign(key, { scope: "read" }), "admin");
    assert.equal(modern.status, 403);
    assert.match(modern.headers.get("www-authenticate") ?? "", /scope="read admin"/);
    const [, granted] = await both(await sign(key, { scope: "read admin" }), "admin");
    assert.equal(granted.status, 200);
  });

  test("the JWKS down: 503 with Retry-After, not 401 (the client keeps its token)", async () => {
    const down = await startJwksServer([key.jwk]);
    down.mode = "500";
    const mcp = new FastMCP("jwks-down", {
      tokenVerifier: new JWTVerifier({
        jwksUri: down.url,
        issuer: "https://auth.example.com",
        audience: AUDIENCE,
      }),
      logLevel: "silent",
    });
    mcp.tool("whoami", {}, () => "never");
    const other = await serveHttp(mcp);
    try {
      const reply = await post(other.url, modernCall("whoami"), {
        ...MODERN_HEADERS,
        authorization: `Bearer ${await sign(key)}`,
        "mcp-method": "tools/call",
        "mcp-name": "whoami",
      });
      assert.equal(reply.status, 503);
      assert.equal(reply.headers.get("retry-after"), "5");
      assert.ok(down.requests >= 1);
    } finally {
      await other.stop();
      await down.close();
    }
  });
});
