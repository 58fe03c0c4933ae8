/**
 * JWTVerifier with one configured key, in each form it takes, and the
 * construction errors that keep a verifier from being configured unsafely.
 */
import assert from "node:assert/strict";
import { createPublicKey, createSecretKey, generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { exportPKCS8, importPKCS8, SignJWT } from "jose";
import { JWTVerifier, type JWTVerifierOptions } from "../../src/auth/jwt-verifier.ts";
import { AUDIENCE, ISSUER, makeKey, nowSec, sign } from "./fixtures.ts";

const loose = (value: unknown) => value as never;
const withKey = (publicKey: JWTVerifierOptions["publicKey"], options = {}) =>
  new JWTVerifier({ publicKey, issuer: ISSUER, audience: AUDIENCE, ...options });

test("each key form verifies its tokens: PEM, JWK, CryptoKey, KeyObject", async () => {
  const rsa = await makeKey("RS256");
  const ec = await makeKey("ES256");
  const ed = await makeKey("EdDSA");
  const ps = await makeKey("PS384");
  assert.ok(await withKey(rsa.pem).verifyToken(await sign(rsa)));
  assert.ok(await withKey(ec.pem).verifyToken(await sign(ec)));
  assert.ok(await withKey(ed.pem).verifyToken(await sign(ed)));
  assert.ok(await withKey(ps.pem).verifyToken(await sign(ps)));
  assert.ok(await withKey(ec.jwk).verifyToken(await sign(ec)));
  assert.ok(await withKey(ed.publicKey).verifyToken(await sign(ed)));
  assert.ok(await withKey(createPublicKey(rsa.pem)).verifyToken(await sign(rsa)));
  assert.ok(await withKey(createPublicKey(ec.pem)).verifyToken(await sign(ec)));
});

test("an RSA PEM verifies RS and PS tokens alike (one key, several algorithms)", async () => {
  const rs = await makeKey("RS256");
  // The same private key, imported for PS256: WebCrypto keys are bound to one algorithm.
  const psKey = await importPKCS8(await exportPKCS8(rs.privateKey), "PS256");
  const ps = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 60 })
    .setProtectedHeader({ alg: "PS256" })
    .sign(psKey);
  const v = withKey(rs.pem);
  assert.ok(await v.verifyToken(ps));
  assert.ok(await v.verifyToken(await sign(rs, { jti: "1" })));
  assert.ok(await v.verifyToken(await sign(rs, { jti: "2" })));
  // Narrowed by algorithms, PS256 is refused.
  assert.equal(await withKey(rs.pem, { algorithms: ["RS256"] }).verifyToken(ps), null);
});

test("a token of an algorithm the key cannot verify is invalid, not an error", async () => {
  const rsa = await makeKey("RS256");
  const ec = await makeKey("ES256");
  for (const key of [rsa.pem, rsa.jwk, rsa.publicKey, createPublicKey(rsa.pem)] as const)
    assert.equal(await withKey(key).verifyToken(await sign(ec)), null);
});

test("a shared secret verifies HS256 (and only HS*); too short a secret is refused", async () => {
  const secret = new TextEncoder().encode("x".repeat(32));
  const token = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 60 })
    .setProtectedHeader({ alg: "HS256" })
    .sign(secret);
  assert.ok(await withKey(secret).verifyToken(token));
  assert.ok(await withKey(createSecretKey(secret)).verifyToken(token));
  assert.equal(await withKey(new TextEncoder().encode("y".repeat(32))).verifyToken(token), null);
  const rsa = await makeKey("RS256");
  assert.equal(await withKey(secret).verifyToken(await sign(rsa)), null);
  assert.throws(
    () => withKey(new TextEncoder().encode("short")),
    /verifies none of the algorithms HS256, HS384, HS512.*RFC 7518/,
  );
  // 32 bytes are enough for HS256, not for HS512.
  assert.throws(() => withKey(secret, { algorithms: ["HS512"] }), /verifies none/);
  assert.throws(() => withKey(secret, { algorithms: ["RS256"] }), /RS256 need a public key/);
});

test("HS* with a JWKS or a public key is refused at construction", async () => {
  const rsa = await makeKey("RS256");
  for (const source of [
    { jwksUri: "https://auth.example.com/jwks" },
    { publicKey: rsa.pem },
    { publicKey: rsa.jwk },
  ])
    assert.throws(
      () =>
        new JWTVerifier({
          ...source,
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ["RS256", "HS256"],
        }),
      (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /^JWTVerifier: HS256 cannot be used with .*forge tokens/);
        return true;
      },
    );
});

test("algorithms never holds none, nor names jose does not verify", () => {
  const base = { jwksUri: "https://auth.example.com/jwks", issuer: ISSUER, audience: AUDIENCE };
  assert.throws(
    () => new JWTVerifier({ ...base, algorithms: loose(["none"]) }),
    /must not contain "none"/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, algorithms: loose(["NONE"]) }),
    /must not contain "none"/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, algorithms: loose(["RS1"]) }),
    /unsupported algorithm the string "RS1"/,
  );
  assert.throws(() => new JWTVerifier({ ...base, algorithms: [] }), /non-empty array/);
});

test("keys that are not public verification keys are refused with the way to one", async () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  assert.throws(() => withKey(pkcs8), /publicKey is a private key: give the public key/);
  assert.throws(() => withKey(privateKey), /publicKey is a private key/);
  const rsa = await makeKey("RS256");
  assert.throws(() => withKey(rsa.privateKey), /publicKey is a private key/);
  assert.throws(() => withKey({ ...rsa.jwk, d: "AAAA" }), /publicKey is a private key/);
  const pkcs1 = createPublicKey(rsa.pem).export({ type: "pkcs1", format: "pem" }) as string;
  assert.throws(() => withKey(pkcs1), /PKCS#1 key: convert it to SPKI/);
  assert.throws(
    () => withKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
    /X\.509 certificate/,
  );
  assert.throws(() => withKey("not a key"), /not a PEM key/);
  assert.throws(
    () => withKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    /not a readable SPKI/,
  );
  assert.throws(() => withKey(loose({ n: "abc" })), /not a JWK/);
  assert.throws(() => withKey({ ...rsa.jwk, use: "enc" }), /not meant for verifying/);
  assert.throws(() => withKey({ ...rsa.jwk, key_ops: ["encrypt"] }), /not meant for verifying/);
  const wrapped = await crypto.subtle.importKey(
    "jwk",
    rsa.jwk,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    true,
    [],
  );
  assert.throws(() => withKey(wrapped), /without the "verify" usage/);
  assert.throws(() => withKey(loose(42)), /publicKey must be a PEM/);
  // A key that can verify none of the configured algorithms.
  const ec = await makeKey("ES384");
  assert.throws(
    () => withKey(ec.pem, { algorithms: ["ES256"] }),
    /publicKey \(an EC key on P-384\) verifies none of the algorithms ES256 \(it verifies: ES384\)/,
  );
});

test("option errors: unknown keys are named, required ones explained", () => {
  const base = { jwksUri: "https://auth.example.com/jwks", issuer: ISSUER, audience: AUDIENCE };
  assert.throws(
    () => new JWTVerifier(loose({ ...base, audiance: AUDIENCE })),
    /^TypeError: JWTVerifier: unknown option "audiance"; did you mean "audience"\?/,
  );
  assert.throws(
    () => new JWTVerifier(loose({ ...base, jwks_uri: "x" })),
    /unknown option "jwks_uri"; did you mean "jwksUri"\?/,
  );
  assert.throws(
    () => new JWTVerifier(loose({ ...base, leeway: 5 })),
    /unknown option "leeway"; did you mean "clockToleranceSec"\?/,
  );
  assert.throws(() => new JWTVerifier(loose(undefined)), /options are required/);
  assert.throws(() => new JWTVerifier(loose("x")), /the options must be an object/);
  assert.throws(
    () => new JWTVerifier({ ...base, audience: undefined }),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /audience is required/);
      assert.match(
        error.message,
        /tokens the same issuer minted for any other service would be accepted/,
      );
      assert.match(error.message, /dangerouslyAcceptAnyAudience/);
      return true;
    },
  );
  assert.throws(
    () => new JWTVerifier({ ...base, dangerouslyAcceptAnyAudience: true }),
    /either audience or dangerouslyAcceptAnyAudience, not both/,
  );
  assert.throws(() => new JWTVerifier(loose({ ...base, issuer: undefined })), /issuer is required/);
  assert.throws(
    () => new JWTVerifier({ ...base, issuer: [] }),
    /issuer must be a non-empty string/,
  );
  assert.throws(
    () => new JWTVerifier({ issuer: ISSUER, audience: AUDIENCE }),
    /exactly one of jwksUri .* and publicKey/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, publicKey: new Uint8Array(32) }),
    /exactly one of jwksUri/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, jwksUri: "/jwks" }),
    /jwksUri must be an absolute URL/,
  );
  assert.throws(() => new JWTVerifier({ ...base, jwksUri: "file:///jwks" }), /http\(s\) URL/);
  assert.throws(
    () => new JWTVerifier({ ...base, resource: "https://x/#f" }),
    /resource .*fragment/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, clockToleranceSec: -1 }),
    /clockToleranceSec must be/,
  );
  assert.throws(() => new JWTVerifier({ ...base, cacheMaxEntries: 1.5 }), /non-negative integer/);
  assert.throws(
    () => new JWTVerifier({ ...base, requiredScopes: loose("read") }),
    /requiredScopes must be an array/,
  );
  assert.throws(
    () => new JWTVerifier({ ...base, isRevoked: loose(true) }),
    /isRevoked must be a function/,
  );
});
