/**
 * StaticTokenVerifier (development tokens), MultiIssuerVerifier (one
 * verifier per issuer, chosen by the unverified `iss`) and anyOf /
 * FirstMatchVerifier (several tried in turn).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { JWTVerifier } from "../../src/auth/jwt-verifier.ts";
import { anyOf, FirstMatchVerifier, MultiIssuerVerifier } from "../../src/auth/multi-issuer.ts";
import { StaticTokenVerifier } from "../../src/auth/static-verifier.ts";
import type { AccessToken, TokenVerifier } from "../../src/auth/types.ts";
import { AUDIENCE, makeKey, nowSec, sign } from "./fixtures.ts";

const loose = (value: unknown) => value as never;

test("StaticTokenVerifier grants what it was given, to exactly those tokens", () => {
  const v = new StaticTokenVerifier({
    "dev-token": { scopes: ["read", "write"], subject: "dev", clientId: "cli" },
    "read-only": { scopes: ["read"] },
  });
  const dev = v.verifyToken("dev-token");
  assert.ok(dev);
  assert.deepEqual(dev.scopes, ["read", "write"]);
  assert.equal(dev.subject, "dev");
  assert.equal(dev.clientId, "cli");
  assert.equal(dev.token, "dev-token");
  assert.equal(dev.claims?.sub, "dev");
  assert.deepEqual(v.verifyToken("read-only")?.scopes, ["read"]);
  assert.equal(v.verifyToken("dev-token "), null);
  assert.equal(v.verifyToken("DEV-TOKEN"), null);
  assert.equal(v.verifyToken(""), null);
});

test("StaticTokenVerifier: __proto__, constructor and friends match nothing", () => {
  const v = new StaticTokenVerifier({ "dev-token": { scopes: [] } });
  for (const token of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])
    assert.equal(v.verifyToken(token), null, token);
  // A token literally named __proto__ (an own key, as JSON.parse makes it) works, and only it.
  const own = new StaticTokenVerifier(JSON.parse('{"__proto__": {"scopes": ["x"]}}'));
  assert.deepEqual(own.verifyToken("__proto__")?.scopes, ["x"]);
  assert.equal(own.verifyToken("constructor"), null);
  assert.equal(
    ({} as Record<string, unknown>).scopes,
    undefined,
    "nothing planted on Object.prototype",
  );
});

test("StaticTokenVerifier: a Map works; expiresAt ends a token; mistakes are named without the token", () => {
  const past = nowSec() - 1;
  const v = new StaticTokenVerifier(
    new Map([
      ["old", { scopes: ["a"], expiresAt: past }],
      ["new", { scopes: ["a"], expiresAt: nowSec() + 60 }],
    ]),
  );
  assert.equal(v.verifyToken("old"), null);
  assert.ok(v.verifyToken("new"));
  assert.throws(
    () => new StaticTokenVerifier({ "secret-token": loose({ scope: ["a"] }) }),
    (error: Error) => {
      assert.match(
        error.message,
        /^StaticTokenVerifier: token #1: unknown option "scope"; did you mean "scopes"\?/,
      );
      assert.ok(!error.message.includes("secret-token"));
      return true;
    },
  );
  assert.throws(
    () => new StaticTokenVerifier({ t: loose({ scopes: "a" }) }),
    /scopes must be an array/,
  );
  assert.throws(() => new StaticTokenVerifier(loose(null)), /give an object or a Map/);
  assert.throws(() => new StaticTokenVerifier({ t: loose(null) }), /the grant must be an object/);
});

test("MultiIssuerVerifier chooses by iss, and the chosen verifier still checks everything", async () => {
  const keyA = await makeKey("RS256");
  const keyB = await makeKey("ES256");
  const a = new JWTVerifier({
    publicKey: keyA.pem,
    issuer: "https://a.example",
    audience: AUDIENCE,
  });
  const b = new JWTVerifier({
    publicKey: keyB.pem,
    issuer: "https://b.example",
    audience: AUDIENCE,
  });
  const v = new MultiIssuerVerifier({ "https://a.example": a, "https://b.example": b });
  assert.equal(
    (await v.verifyToken(await sign(keyA, { iss: "https://a.example" })))?.issuer,
    "https://a.example",
  );
  assert.equal(
    (await v.verifyToken(await sign(keyB, { iss: "https://b.example" })))?.issuer,
    "https://b.example",
  );
  // A token that lies about its issuer meets a verifier whose key did not sign it.
  assert.equal(await v.verifyToken(await sign(keyB, { iss: "https://a.example" })), null);
  assert.equal(await v.verifyToken(await sign(keyA, { iss: "https://c.example" })), null);
  assert.equal(await v.verifyToken(await sign(keyA, { iss: "__proto__" })), null);
  assert.equal(await v.verifyToken(await sign(keyA, { iss: undefined })), null);
  assert.equal(await v.verifyToken("not-a-jwt"), null);
  assert.throws(() => new MultiIssuerVerifier({}), /at least one issuer/);
  assert.throws(
    () => new MultiIssuerVerifier({ "https://a.example": loose({}) }),
    /the verifier of "https:\/\/a.example" must be a TokenVerifier/,
  );
});

test("anyOf: the first verifier that accepts wins; null when none does", async () => {
  const calls: string[] = [];
  const named = (name: string, result: AccessToken | null): TokenVerifier => ({
    verifyToken: () => {
      calls.push(name);
      return result;
    },
  });
  const token: AccessToken = { token: "t", scopes: [] };
  assert.equal(
    await anyOf(named("a", null), named("b", token), named("c", token)).verifyToken("t"),
    token,
  );
  assert.deepEqual(calls, ["a", "b"]);
  assert.equal(
    await new FirstMatchVerifier([named("x", null), named("y", null)]).verifyToken("t"),
    null,
  );
  const dev = new StaticTokenVerifier({ "dev-token": { scopes: ["s"] } });
  const other = new StaticTokenVerifier({ other: { scopes: ["o"] } });
  assert.deepEqual((await anyOf(other, dev).verifyToken("dev-token"))?.scopes, ["s"]);
  assert.throws(() => anyOf(), /non-empty array of verifiers/);
  assert.throws(() => anyOf(loose(null)), /verifier #1 must be a TokenVerifier/);
});

test("anyOf: a throw does not stop the others; it is rethrown only when none accepts", async () => {
  const token: AccessToken = { token: "t", scopes: [] };
  const down = (message: string): TokenVerifier => ({
    verifyToken: async () => {
      throw new Error(message);
    },
  });
  const accepting: TokenVerifier = { verifyToken: () => token };
  const refusing: TokenVerifier = { verifyToken: () => undefined };
  assert.equal(await anyOf(down("first"), accepting).verifyToken("t"), token);
  await assert.rejects(
    anyOf(down("first"), refusing, down("second")).verifyToken("t"),
    /^Error: first$/,
  );
  assert.equal(await anyOf(refusing, refusing).verifyToken("t"), null);
});
