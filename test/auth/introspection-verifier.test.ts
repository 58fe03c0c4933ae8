/**
 * IntrospectionVerifier against a real RFC 7662 endpoint on loopback that
 * checks the client's Basic credentials and counts its POSTs.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type TestContext, test } from "node:test";
import {
  IntrospectionVerifier,
  type IntrospectionVerifierOptions,
} from "../../src/auth/introspection-verifier.ts";
import { AUDIENCE, ISSUER, nowSec } from "./fixtures.ts";

const CLIENT_ID = "mcp server";
const CLIENT_SECRET = "s3cret:with+chars";

type Mode = "ok" | "500" | "garbage" | "no-active" | "hang";

async function startEndpoint(t: TestContext, answers: Record<string, Record<string, unknown>>) {
  const state = { posts: 0, mode: "ok" as Mode, rejectedAuth: 0, bodies: [] as string[] };
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    state.posts++;
    state.bodies.push(body);
    // RFC 6749 §2.3.1: id and secret form-encoded, joined by a colon, base64.
    const expected = `Basic ${Buffer.from(
      `${encodeURIComponent(CLIENT_ID).replace(/%20/g, "+")}:${encodeURIComponent(
        CLIENT_SECRET,
      ).replace(/%20/g, "+")}`,
    ).toString("base64")}`;
    if (
      req.method !== "POST" ||
      req.headers["content-type"] !== "application/x-www-form-urlencoded" ||
      req.headers.authorization !== expected
    ) {
      state.rejectedAuth++;
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid_client"}');
      return;
    }
    if (state.mode === "hang") return;
    if (state.mode === "500") return void res.writeHead(500).end("down");
    if (state.mode === "garbage") return void res.writeHead(200).end("<html>");
    if (state.mode === "no-active") return void res.writeHead(200).end('{"scope":"x"}');
    const params = new URLSearchParams(body);
    assert.equal(params.get("token_type_hint"), "access_token");
    const answer = answers[params.get("token") ?? ""] ?? { active: false };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/introspect`, state };
}

const active = (extra: Record<string, unknown> = {}) => ({
  active: true,
  client_id: "client-1",
  scope: "read write",
  sub: "user-1",
  iss: ISSUER,
  aud: AUDIENCE,
  exp: nowSec() + 3600,
  ...extra,
});

const verifierAt = (url: string, options: Partial<IntrospectionVerifierOptions> = {}) =>
  new IntrospectionVerifier({
    introspectionUrl: url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    ...options,
  });

test("an active token: an AccessToken from the answer, Basic auth accepted by the endpoint", async (t) => {
  const exp = nowSec() + 600;
  const { url, state } = await startEndpoint(t, { "tok-a": active({ exp, jti: "j" }) });
  const accepted = await verifierAt(url).verifyToken("tok-a");
  assert.ok(accepted);
  assert.equal(accepted.token, "tok-a");
  assert.equal(accepted.clientId, "client-1");
  assert.deepEqual(accepted.scopes, ["read", "write"]);
  assert.equal(accepted.subject, "user-1");
  assert.equal(accepted.issuer, ISSUER);
  assert.deepEqual(accepted.audience, [AUDIENCE]);
  assert.equal(accepted.expiresAt, exp);
  assert.equal(accepted.claims?.jti, "j");
  assert.equal(state.rejectedAuth, 0);
  assert.equal(state.bodies[0], "token=tok-a&token_type_hint=access_token");
});

test("wrong client credentials: the endpoint's 401 is a throw, not an invalid token", async (t) => {
  const { url, state } = await startEndpoint(t, { "tok-a": active() });
  const wrong = verifierAt(url, { clientSecret: "nope" });
  await assert.rejects(wrong.verifyToken("tok-a"), /introspection endpoint .* answered HTTP 401/);
  assert.equal(state.rejectedAuth, 1);
});

test("inactive, wrong audience, wrong issuer, missing scopes: invalid", async (t) => {
  const { url } = await startEndpoint(t, {
    off: { active: false },
    other: active({ aud: "https://other.example.com/mcp" }),
    canon: active({ aud: ["x", "HTTPS://MCP.EXAMPLE.COM/mcp/"] }),
    noaud: active({ aud: undefined }),
    iss: active({ iss: "https://evil.example.com" }),
    few: active({ scope: "read" }),
  });
  const v = verifierAt(url, { issuer: ISSUER, requiredScopes: ["read", "write"] });
  assert.equal(await v.verifyToken("off"), null);
  assert.equal(await v.verifyToken("unknown"), null);
  assert.equal(await v.verifyToken("other"), null);
  assert.ok(await v.verifyToken("canon"), "audience compared canonically");
  assert.equal(await v.verifyToken("noaud"), null);
  assert.equal(await v.verifyToken("iss"), null);
  assert.equal(await v.verifyToken("few"), null);
  const any = verifierAt(url, { audience: undefined, dangerouslyAcceptAnyAudience: true });
  assert.ok(await any.verifyToken("other"));
  assert.ok(await any.verifyToken("noaud"));
});

test("answers are cached: a hit makes no second POST; concurrent requests share one", async (t) => {
  const { url, state } = await startEndpoint(t, { "tok-a": active() });
  const v = verifierAt(url);
  const first = await v.verifyToken("tok-a");
  assert.ok(first);
  assert.equal(await v.verifyToken("tok-a"), first);
  assert.equal(state.posts, 1);
  const many = await Promise.all(Array.from({ length: 20 }, () => v.verifyToken("tok-b")));
  assert.deepEqual(new Set(many), new Set([null]));
  assert.equal(state.posts, 2, "twenty concurrent requests for one token: one POST");
  // The inactive answer is kept too (10 s), so a flood of one bad token stays one POST.
  for (let i = 0; i < 20; i++) assert.equal(await v.verifyToken("tok-b"), null);
  assert.equal(state.posts, 2);
});

test("the cache lasts cacheTtlSec, never past exp; inactive answers 10 s", async (t) => {
  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  const tick = (seconds: number) => t.mock.timers.tick(seconds * 1000);
  const { url, state } = await startEndpoint(t, {
    long: active({ exp: nowSec() + 3600 }),
    short: active({ exp: nowSec() + 20 }),
  });
  const v = verifierAt(url, { cacheTtlSec: 60 });
  assert.ok(await v.verifyToken("long"));
  assert.ok(await v.verifyToken("short"));
  assert.equal(await v.verifyToken("off"), null);
  assert.equal(state.posts, 3);
  tick(11);
  assert.ok(await v.verifyToken("long"));
  assert.ok(await v.verifyToken("short"));
  assert.equal(await v.verifyToken("off"), null);
  assert.equal(state.posts, 4, "only the inactive answer was asked again");
  tick(10);
  assert.ok(await v.verifyToken("short"), "asked again after exp; the endpoint still says active");
  assert.equal(state.posts, 5);
  tick(40);
  assert.ok(await v.verifyToken("long"));
  assert.equal(state.posts, 6, "asked again after the TTL");
});

test("isRevoked is asked on every call, cached answers included", async (t) => {
  const { url, state } = await startEndpoint(t, { "tok-a": active({ jti: "j1" }) });
  const revoked = new Set<string>();
  const v = verifierAt(url, { isRevoked: (claims) => revoked.has(claims.jti as string) });
  assert.ok(await v.verifyToken("tok-a"));
  revoked.add("j1");
  assert.equal(await v.verifyToken("tok-a"), null);
  assert.equal(state.posts, 1);
});

test("an endpoint failing, answering garbage or not at all: a throw, without the token", async (t) => {
  const { url, state } = await startEndpoint(t, { "tok-secret-123": active() });
  const expectations: [Mode, RegExp][] = [
    ["500", /answered HTTP 500/],
    ["garbage", /answered invalid JSON/],
    ["no-active", /without a boolean "active"/],
    ["hang", /did not answer within 200 ms/],
  ];
  for (const [mode, message] of expectations) {
    state.mode = mode;
    const error = await verifierAt(url, { timeoutMs: 200 })
      .verifyToken("tok-secret-123")
      .then(
        () => assert.fail(`${mode}: resolved`),
        (caught: Error) => caught,
      );
    assert.match(error.message, /^IntrospectionVerifier: could not check a token: /);
    assert.match(error.message, message);
    assert.ok(!error.message.includes("tok-secret-123"), error.message);
  }
  // Failures are not cached: the endpoint back, the token verifies.
  state.mode = "ok";
  const v = verifierAt(url);
  state.mode = "500";
  await assert.rejects(v.verifyToken("tok-secret-123"));
  state.mode = "ok";
  assert.ok(await v.verifyToken("tok-secret-123"));
  await assert.rejects(
    verifierAt("http://127.0.0.1:1/introspect").verifyToken("x"),
    /could not check a token: the introspection endpoint http:\/\/127\.0\.0\.1:1\/introspect/,
  );
});

test("a custom fetch is used", async () => {
  const seen: string[] = [];
  const v = verifierAt("https://auth.example.com/introspect", {
    fetch: async (input, init) => {
      seen.push(`${String(input)} ${String(init?.body)}`);
      return new Response(JSON.stringify(active()), { status: 200 });
    },
  });
  assert.ok(await v.verifyToken("t"));
  assert.deepEqual(seen, [
    "https://auth.example.com/introspect token=t&token_type_hint=access_token",
  ]);
});

test("option errors name the key and explain the audience", () => {
  const base = {
    introspectionUrl: "https://auth.example.com/introspect",
    clientId: "c",
    clientSecret: "s",
    audience: AUDIENCE,
  };
  const loose = (value: unknown) => value as never;
  assert.throws(
    () => new IntrospectionVerifier(loose({ ...base, introspectionEndpoint: "x" })),
    /^TypeError: IntrospectionVerifier: unknown option "introspectionEndpoint"; did you mean "introspectionUrl"\?/,
  );
  assert.throws(
    () => new IntrospectionVerifier({ ...base, audience: undefined }),
    /audience is required.*any other service would be accepted/,
  );
  assert.throws(
    () => new IntrospectionVerifier({ ...base, clientSecret: "" }),
    /clientSecret is required/,
  );
  assert.throws(
    () => new IntrospectionVerifier({ ...base, introspectionUrl: "nope" }),
    /absolute URL/,
  );
  assert.throws(() => new IntrospectionVerifier({ ...base, timeoutMs: -1 }), /timeoutMs must be/);
  assert.throws(
    () => new IntrospectionVerifier({ ...base, fetch: loose(1) }),
    /fetch must be a function/,
  );
});
