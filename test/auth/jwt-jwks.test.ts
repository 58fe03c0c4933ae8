/**
 * JWTVerifier and its key set over time: rotation, the refetch cooldown
 * against floods of unknown `kid`s, an endpoint that fails (a throw, not an
 * invalid token), and the cache of verified tokens. The clock is Node's
 * mocked Date, which jose's key set cache and ours both read.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { JWTVerifier } from "../../src/auth/jwt-verifier.ts";
import {
  AUDIENCE,
  ISSUER,
  type JwksServer,
  makeKey,
  nowSec,
  sign,
  startJwksServer,
} from "./fixtures.ts";

async function setup(t: TestContext, keys = 1) {
  const made = await Promise.all(Array.from({ length: keys }, () => makeKey("RS256")));
  const jwks = await startJwksServer(made.map((key) => key.jwk));
  t.after(() => jwks.close());
  return { keys: made, jwks };
}

const verifierFor = (jwks: JwksServer, options = {}) =>
  new JWTVerifier({ jwksUri: jwks.url, issuer: ISSUER, audience: AUDIENCE, ...options });

function mockClock(t: TestContext) {
  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  return (seconds: number) => t.mock.timers.tick(seconds * 1000);
}

test("key rotation: an unknown kid refetches the set, once, and the new key verifies", async (t) => {
  const tick = mockClock(t);
  const { keys, jwks } = await setup(t);
  const v = verifierFor(jwks);
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
  assert.equal(jwks.requests, 1);

  const next = await makeKey("RS256", "kid-next");
  jwks.keys = [keys[0]!.jwk, next.jwk];
  // Just fetched: within the 30 s cooldown an unknown kid is refused without asking.
  assert.equal(await v.verifyToken(await sign(next)), null);
  assert.equal(jwks.requests, 1);

  tick(31);
  assert.ok(await v.verifyToken(await sign(next)), "verified after one refetch");
  assert.equal(jwks.requests, 2);
  // The old key still verifies from the refreshed set, without another fetch.
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
  assert.equal(jwks.requests, 2);

  // The old key retired: its tokens stop verifying once the set is fetched again.
  jwks.keys = [next.jwk];
  tick(601);
  assert.equal(await v.verifyToken(await sign(keys[0]!, { jti: "fresh" })), null);
  assert.equal(jwks.requests, 3);
});

test("a flood of unknown kids costs at most one fetch per cooldown", async (t) => {
  const tick = mockClock(t);
  const { keys, jwks } = await setup(t);
  const v = verifierFor(jwks);
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
  assert.equal(jwks.requests, 1);
  const stranger = await makeKey("RS256");
  const flood = () =>
    Promise.all(
      Array.from({ length: 50 }, async (_, i) =>
        v.verifyToken(await sign(stranger, {}, { kid: `made-up-${i}-${Math.random()}` })),
      ),
    );
  assert.deepEqual(new Set(await flood()), new Set([null]));
  assert.equal(jwks.requests, 1, "within the cooldown: no fetch at all");
  tick(31);
  assert.deepEqual(new Set(await flood()), new Set([null]));
  assert.equal(jwks.requests, 2, "after it: one fetch for fifty tokens at once");
  for (let i = 0; i < 20; i++)
    assert.equal(await v.verifyToken(await sign(stranger, {}, { kid: `later-${i}` })), null);
  assert.equal(jwks.requests, 2, "and none for the ones after, in the new cooldown");
});

test("a token without kid is tried against each key of its algorithm", async (t) => {
  const { keys, jwks } = await setup(t, 3);
  for (const key of keys) delete key.jwk.kid;
  jwks.keys = keys.map((key) => key.jwk);
  const v = verifierFor(jwks);
  assert.ok(await v.verifyToken(await sign(keys[2]!, {}, { kid: undefined })));
  const stranger = await makeKey("RS256");
  assert.equal(await v.verifyToken(await sign(stranger, {}, { kid: undefined })), null);
});

test("the JWKS endpoint down, failing or answering garbage: a throw, without the token", async (t) => {
  const { keys, jwks } = await setup(t);
  const token = await sign(keys[0]!);
  for (const mode of ["500", "garbage", "not-a-jwks"] as const) {
    jwks.mode = mode;
    const error = await verifierFor(jwks)
      .verifyToken(token)
      .then(
        () => assert.fail(`${mode}: resolved`),
        (caught: Error) => caught,
      );
    assert.match(error.message, /^JWTVerifier: could not check a token with the key set http:/);
    assert.ok(error.message.includes(jwks.url), error.message);
    assert.ok(!error.message.includes(token), "the token is not in the message");
    assert.ok(error.cause, "the cause is kept");
  }
  jwks.mode = "ok";
  const refused = verifierFor({ url: "http://127.0.0.1:1/jwks.json" } as JwksServer);
  await assert.rejects(refused.verifyToken(token), /could not check a token.*127\.0\.0\.1:1/);
});

test("a JWKS endpoint that never answers: a throw after jose's 5 s timeout", async (t) => {
  const { keys, jwks } = await setup(t);
  jwks.mode = "hang";
  await assert.rejects(verifierFor(jwks).verifyToken(await sign(keys[0]!)), (error: Error) => {
    assert.match(error.message, /could not check a token.*timed out/);
    return true;
  });
});

test("once the set is cached, an endpoint outage does not fail known keys", async (t) => {
  const { keys, jwks } = await setup(t);
  const v = verifierFor(jwks);
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
  await jwks.close();
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
});

test("a cached token costs no signature check, and is the same AccessToken", async (t) => {
  const { keys, jwks } = await setup(t);
  const verify = t.mock.method(crypto.subtle, "verify");
  const v = verifierFor(jwks);
  const token = await sign(keys[0]!);
  const first = await v.verifyToken(token);
  assert.ok(first);
  assert.equal(verify.mock.callCount(), 1);
  for (let i = 0; i < 10; i++) assert.equal(await v.verifyToken(token), first);
  assert.equal(verify.mock.callCount(), 1, "no second signature check");
  // Another token is checked, of course.
  assert.ok(await v.verifyToken(await sign(keys[0]!)));
  assert.equal(verify.mock.callCount(), 2);
  assert.ok(Object.isFrozen(first));
});

test("the cache never outlives the token: expired entries are refused and dropped", async (t) => {
  const tick = mockClock(t);
  const { keys, jwks } = await setup(t);
  const verify = t.mock.method(crypto.subtle, "verify");
  const v = verifierFor(jwks, { clockToleranceSec: 5 });
  const token = await sign(keys[0]!, { exp: nowSec() + 60 });
  assert.ok(await v.verifyToken(token));
  tick(60);
  assert.ok(await v.verifyToken(token), "within the tolerance");
  assert.equal(verify.mock.callCount(), 1);
  tick(6);
  assert.equal(await v.verifyToken(token), null);
  // The expired entry was dropped: the token went to jose again, which refused it.
  assert.equal(verify.mock.callCount(), 2);
});

test("the cache is bounded: the oldest entry goes first", async (t) => {
  const { keys, jwks } = await setup(t);
  const verify = t.mock.method(crypto.subtle, "verify");
  const v = verifierFor(jwks, { cacheMaxEntries: 2 });
  const tokens = await Promise.all([1, 2, 3].map((n) => sign(keys[0]!, { jti: `t${n}` })));
  for (const token of tokens) assert.ok(await v.verifyToken(token));
  assert.equal(verify.mock.callCount(), 3);
  assert.ok(await v.verifyToken(tokens[2]!));
  assert.ok(await v.verifyToken(tokens[1]!));
  assert.equal(verify.mock.callCount(), 3, "the two newest are cached");
  assert.ok(await v.verifyToken(tokens[0]!));
  assert.equal(verify.mock.callCount(), 4, "the oldest was evicted");
  const none = verifierFor(jwks, { cacheMaxEntries: 0 });
  assert.ok(await none.verifyToken(tokens[0]!));
  assert.ok(await none.verifyToken(tokens[0]!));
  assert.equal(verify.mock.callCount(), 6, "cacheMaxEntries 0: no cache");
});
