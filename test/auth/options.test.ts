/** Misconfigured authentication fails at construction, with an error that names the mistake. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP, type TokenVerifier } from "../../src/index.ts";

const verifier: TokenVerifier = { verifyToken: () => undefined };
const auth = {
  issuerUrl: "https://auth.example.com",
  resourceServerUrl: "https://mcp.example.com/mcp",
};

test("an unknown key in auth is named, with the Python guide's spelling mapped", () => {
  assert.throws(
    () =>
      new FastMCP("s", {
        tokenVerifier: verifier,
        auth: { ...auth, requiredScope: ["x"] } as never,
      }),
    /requiredScope/,
  );
  assert.throws(
    () =>
      new FastMCP("s", { tokenVerifier: verifier, auth: { ...auth, issuer_url: "x" } as never }),
    /issuer_url.*issuerUrl/s,
  );
  assert.throws(() => new FastMCP("s", { token_verifier: verifier } as never), /tokenVerifier/);
});

test("auth settings without a verifier, a verifier without verifyToken, missing URLs", () => {
  assert.throws(() => new FastMCP("s", { auth }), /auth settings need a tokenVerifier/);
  assert.throws(
    () => new FastMCP("s", { tokenVerifier: {} as TokenVerifier }),
    /tokenVerifier must be an object with a verifyToken\(token\) method/,
  );
  assert.throws(
    () =>
      new FastMCP("s", { tokenVerifier: verifier, auth: { issuerUrl: auth.issuerUrl } as never }),
    /auth.resourceServerUrl is required/,
  );
  assert.throws(
    () =>
      new FastMCP("s", {
        tokenVerifier: verifier,
        auth: { resourceServerUrl: auth.resourceServerUrl, issuerUrl: [] },
      }),
    /auth.issuerUrl is required/,
  );
  assert.throws(
    () =>
      new FastMCP("s", {
        tokenVerifier: verifier,
        auth: { ...auth, resourceServerUrl: "mcp.example.com" },
      }),
    /auth.resourceServerUrl "mcp.example.com" is not a valid resource URI: it is not an absolute URI/,
  );
  assert.throws(
    () =>
      new FastMCP("s", {
        tokenVerifier: verifier,
        auth: { ...auth, resourceServerUrl: "https://mcp.example.com/mcp#frag" },
      }),
    /fragment/,
  );
  assert.throws(
    () => new FastMCP("s", { tokenVerifier: verifier, auth: { ...auth, requiredScopes: ["a b"] } }),
    /requiredScopes must be a list of scope names/,
  );
});

test("a public cache scope cannot go with a token verifier", () => {
  assert.throws(
    () => new FastMCP("s", { tokenVerifier: verifier, cache: { scope: "public" } }),
    /cache.scope "public" cannot go with a tokenVerifier/,
  );
});

test("a component's scopes must be scope names", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("t", { scopes: "files:write" as never }, () => "x"),
    /scopes must be a list/,
  );
  assert.throws(
    () => mcp.prompt("p", { scopes: ["has space"] }, () => "x"),
    /scopes must be a list/,
  );
  assert.throws(() => mcp.resource("a://b", { scopes: [""] }, () => "x"), /scopes must be a list/);
});
