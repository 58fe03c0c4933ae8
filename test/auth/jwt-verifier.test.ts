/**
 * JWTVerifier against a real JWKS endpoint on loopback: which tokens are
 * accepted, what the AccessToken says, and which are invalid (null).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { JWTVerifier, type JWTVerifierOptions } from "../../src/auth/jwt-verifier.ts";
import {
  AUDIENCE,
  ISSUER,
  type JwksServer,
  makeKey,
  nowSec,
  sign,
  startJwksServer,
  type TestKey,
  unsignedToken,
} from "./fixtures.ts";

let key: TestKey;
let jwks: JwksServer;

before(async () => {
  key = await makeKey("RS256");
  jwks = await startJwksServer([key.jwk]);
});
after(() => jwks.close());

const verifier = (options: Partial<JWTVerifierOptions> = {}) =>
  new JWTVerifier({ jwksUri: jwks.url, issuer: ISSUER, audience: AUDIENCE, ...options });

test("a valid token gives an AccessToken made from its claims", async () => {
  const exp = nowSec() + 300;
  const token = await sign(key, { exp, jti: "abc", resource: AUDIENCE });
  const accepted = await verifier().verifyToken(token);
  assert.ok(accepted);
  assert.equal(accepted.token, token);
  assert.equal(accepted.clientId, "client-1");
  assert.deepEqual(accepted.scopes, ["read", "write"]);
  assert.equal(accepted.expiresAt, exp);
  assert.equal(accepted.subject, "user-1");
  assert.equal(accepted.issuer, ISSUER);
  assert.deepEqual(accepted.audience, [AUDIENCE]);
  assert.equal(accepted.resource, AUDIENCE);
  assert.equal(accepted.claims?.jti, "abc");
});

test("clientId falls back to azp, then cid; scopes come from scp (array or string) too", async () => {
  const v = verifier();
  const azp = await v.verifyToken(
    await sign(key, { client_id: undefined, azp: "spa", scope: undefined, scp: ["a", "b"] }),
  );
  assert.equal(azp?.clientId, "spa");
  assert.deepEqual(azp?.scopes, ["a", "b"]);
  const cid = await v.verifyToken(
    await sign(key, { client_id: undefined, cid: "okta-app", scope: undefined, scp: "x y" }),
  );
  assert.equal(cid?.clientId, "okta-app");
  assert.deepEqual(cid?.scopes, ["x", "y"]);
});

test("expired, not yet valid and exp-less tokens are invalid", async () => {
  const v = verifier({ clockToleranceSec: 30 });
  const now = nowSec();
  assert.equal(await v.verifyToken(await sign(key, { exp: now - 120 })), null);
  assert.equal(await v.verifyToken(await sign(key, { nbf: now + 120 })), null);
  assert.equal(await v.verifyToken(await sign(key, { exp: undefined })), null);
  // Within the tolerance both are still (or already) fine.
  assert.ok(await v.verifyToken(await sign(key, { exp: now - 10 })));
  assert.ok(await v.verifyToken(await sign(key, { nbf: now + 10 })));
});

test("a token of another issuer is invalid; several issuers may be configured", async () => {
  const token = await sign(key, { iss: "https://evil.example.com" });
  assert.equal(await verifier().verifyToken(token), null);
  assert.ok(await verifier({ issuer: [ISSUER, "https://evil.example.com"] }).verifyToken(token));
  // Issuer identifiers compare exactly (RFC 8414), a trailing slash included.
  assert.equal(await verifier().verifyToken(await sign(key, { iss: `${ISSUER}/` })), null);
});

test("a token for another audience, or none, is invalid", async () => {
  const v = verifier();
  assert.equal(
    await v.verifyToken(await sign(key, { aud: "https://other.example.com/mcp" })),
    null,
  );
  assert.equal(await v.verifyToken(await sign(key, { aud: "https://mcp.example.com/mcp2" })), null);
  assert.equal(await v.verifyToken(await sign(key, { aud: undefined })), null);
  assert.equal(await v.verifyToken(await sign(key, { aud: [] })), null);
});

test("audiences equal up to the case of scheme and host, the port and a trailing slash are accepted", async () => {
  const v = verifier();
  for (const aud of [
    "HTTPS://MCP.EXAMPLE.COM/mcp/",
    "https://mcp.example.com:443/mcp",
    ["https://other.example.com", "https://Mcp.Example.com/mcp/"],
  ])
    assert.ok(await v.verifyToken(await sign(key, { aud })), JSON.stringify(aud));
  // The path is case-sensitive.
  assert.equal(await v.verifyToken(await sign(key, { aud: "https://mcp.example.com/MCP" })), null);
  // The configured audience is canonicalised too.
  const upper = verifier({ audience: "HTTPS://MCP.example.com/mcp/" });
  assert.ok(await upper.verifyToken(await sign(key)));
});

test("audiences that are not http(s) URIs compare exactly", async () => {
  const v = verifier({ audience: ["api://mcp", "client-123"] });
  assert.ok(await v.verifyToken(await sign(key, { aud: "api://mcp" })));
  assert.ok(await v.verifyToken(await sign(key, { aud: "client-123" })));
  assert.equal(await v.verifyToken(await sign(key, { aud: "API://mcp" })), null);
  assert.equal(await v.verifyToken(await sign(key, { aud: "api://mcp/" })), null);
  assert.equal(await v.verifyToken(await sign(key, { aud: "Client-123" })), null);
});

test("dangerouslyAcceptAnyAudience accepts any audience, and only when asked", async () => {
  const v = new JWTVerifier({
    jwksUri: jwks.url,
    issuer: ISSUER,
    dangerouslyAcceptAnyAudience: true,
  });
  assert.ok(await v.verifyToken(await sign(key, { aud: "https://other.example.com" })));
  assert.ok(await v.verifyToken(await sign(key, { aud: undefined })));
});

test("with resource set, the token's resource claim must name it canonically", async () => {
  const v = verifier({ resource: "https://mcp.example.com/mcp" });
  assert.ok(await v.verifyToken(await sign(key, { resource: "HTTPS://mcp.example.com/mcp/" })));
  assert.ok(await v.verifyToken(await sign(key, { resource: ["https://mcp.example.com/mcp"] })));
  assert.equal(
    await v.verifyToken(await sign(key, { resource: "https://other.example.com/mcp" })),
    null,
  );
  assert.equal(await v.verifyToken(await sign(key, { resource: undefined })), null);
  assert.equal(
    await v.verifyToken(await sign(key, { resource: "https://mcp.example.com/mcp#x" })),
    null,
  );
  // Without the option, the claim is not checked.
  assert.ok(await verifier().verifyToken(await sign(key, { resource: "https://other.example" })));
});

test("a token lacking a required scope is invalid", async () => {
  const v = verifier({ requiredScopes: ["read", "admin"] });
  assert.equal(await v.verifyToken(await sign(key, { scope: "read write" })), null);
  assert.equal(await v.verifyToken(await sign(key, { scope: undefined })), null);
  assert.ok(await v.verifyToken(await sign(key, { scope: "admin read" })));
  assert.ok(await v.verifyToken(await sign(key, { scope: undefined, scp: ["read", "admin"] })));
  // "readonly" is not "read": scopes are whole words.
  assert.equal(await v.verifyToken(await sign(key, { scope: "readonly admin" })), null);
});

test("alg none is invalid, whatever the claims", async () => {
  const token = unsignedToken({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 600, scope: "read" });
  assert.equal(await verifier().verifyToken(token), null);
  assert.equal(await verifier({ publicKey: key.pem, jwksUri: undefined }).verifyToken(token), null);
});

test("HS256 signed with the public key's PEM as the secret is invalid", async () => {
  const { SignJWT } = await import("jose");
  const forged = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 600 })
    .setProtectedHeader({ alg: "HS256", kid: key.kid })
    .sign(new TextEncoder().encode(key.pem));
  assert.equal(await verifier().verifyToken(forged), null);
  assert.equal(
    await verifier({ publicKey: key.pem, jwksUri: undefined }).verifyToken(forged),
    null,
  );
  // Nor with the JWK's modulus bytes, another forger's favourite.
  const forgedN = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 600 })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
  assert.equal(
    await verifier({ publicKey: key.jwk, jwksUri: undefined }).verifyToken(forgedN),
    null,
  );
});

test("a bad signature, a tampered payload and garbage are invalid", async () => {
  const v = verifier();
  const other = await makeKey("RS256", key.kid);
  assert.equal(await v.verifyToken(await sign(other)), null);
  const [h, , s] = (await sign(key)).split(".");
  const payload = Buffer.from(
    JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: nowSec() + 600, scope: "admin" }),
  ).toString("base64url");
  assert.equal(await v.verifyToken(`${h}.${payload}.${s}`), null);
  for (const garbage of [
    "",
    "abc",
    "a.b.c",
    "a.b",
    "....",
    "eyJhbGciOiJSUzI1NiJ9.e30.",
    "%%%.%%%.%%%",
  ])
    assert.equal(await v.verifyToken(garbage), null, garbage);
  assert.equal(await v.verifyToken(undefined as never), null);
});

test("an algorithm outside the allow-list is invalid", async () => {
  const token = await sign(key);
  assert.equal(await verifier({ algorithms: ["ES256"] }).verifyToken(token), null);
  assert.ok(await verifier({ algorithms: ["RS256"] }).verifyToken(token));
});

test("revocation through isRevoked, checked on every call, for a cached token too", async () => {
  const revoked = new Set<string>();
  let asked = 0;
  const v = verifier({
    isRevoked: (claims) => {
      asked++;
      return revoked.has(claims.jti as string);
    },
  });
  const token = await sign(key, { jti: "t-1" });
  const first = await v.verifyToken(token);
  assert.ok(first);
  assert.equal(await v.verifyToken(token), first, "cached: the same AccessToken");
  assert.equal(asked, 2);
  revoked.add("t-1");
  assert.equal(await v.verifyToken(token), null);
  assert.equal(asked, 3);
  // An async predicate works the same, and a revoked token is refused before it is cached.
  const v2 = verifier({ isRevoked: async (claims) => claims.jti === "t-2" });
  assert.equal(await v2.verifyToken(await sign(key, { jti: "t-2" })), null);
  assert.ok(await v2.verifyToken(await sign(key, { jti: "t-3" })));
});

test("an isRevoked that throws lets the error out: the token could not be checked", async () => {
  const v = verifier({
    isRevoked: () => {
      throw new Error("deny list unavailable");
    },
  });
  await assert.rejects(v.verifyToken(await sign(key)), /deny list unavailable/);
});
