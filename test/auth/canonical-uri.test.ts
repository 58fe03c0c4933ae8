import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalUri, sameResource } from "../../src/auth/canonical-uri.ts";

test("canonicalUri lower-cases scheme and host, drops the default port and one trailing slash", () => {
  assert.equal(canonicalUri("HTTPS://MCP.Example.COM:443/mcp/"), "https://mcp.example.com/mcp");
  assert.equal(canonicalUri("http://Example.com:80"), "http://example.com");
  assert.equal(canonicalUri("https://example.com/"), "https://example.com");
  assert.equal(canonicalUri("https://example.com"), "https://example.com");
  assert.equal(canonicalUri("https://example.com:8443/"), "https://example.com:8443");
  assert.equal(canonicalUri("http://example.com:443/x"), "http://example.com:443/x");
  assert.equal(canonicalUri(new URL("https://EXAMPLE.com/a/b/")), "https://example.com/a/b");
  // The path keeps its case: only scheme and host are case-insensitive.
  assert.equal(canonicalUri("https://example.com/MCP"), "https://example.com/MCP");
  assert.equal(canonicalUri("https://example.com/a/./b/../c"), "https://example.com/a/c");
  assert.equal(canonicalUri("https://[::1]:3000/mcp/"), "https://[::1]:3000/mcp");
});

test("canonicalUri keeps the query", () => {
  assert.equal(
    canonicalUri("https://example.com/mcp/?tenant=A"),
    "https://example.com/mcp?tenant=A",
  );
  assert.equal(canonicalUri("https://example.com/?x=1"), "https://example.com?x=1");
});

test("canonicalUri refuses fragments, relative URIs, other schemes and credentials, naming the value", () => {
  for (const bad of [
    "https://example.com/mcp#top",
    "https://example.com/mcp#",
    "/mcp",
    "example.com/mcp",
    "ftp://example.com/x",
    "urn:example:mcp",
    "https://user:pw@example.com/mcp",
    "",
  ]) {
    assert.throws(
      () => canonicalUri(bad),
      (error: Error) => {
        assert.ok(error instanceof TypeError, bad);
        assert.ok(error.message.includes(JSON.stringify(bad)), error.message);
        return true;
      },
    );
  }
  assert.throws(() => canonicalUri("https://example.com/mcp#top"), /must not have a fragment/);
  assert.throws(() => canonicalUri(new URL("https://example.com/#")), /must not have a fragment/);
  assert.throws(() => canonicalUri("ftp://example.com/x"), /scheme must be http or https, not ftp/);
});

test("sameResource compares canonically and is false for what is not a resource URI", () => {
  assert.equal(sameResource("HTTPS://Example.com:443/mcp/", "https://example.com/mcp"), true);
  assert.equal(sameResource("https://example.com/", new URL("https://example.com")), true);
  assert.equal(sameResource("https://example.com/mcp", "https://example.com/mcp2"), false);
  assert.equal(sameResource("https://example.com/mcp", "http://example.com/mcp"), false);
  assert.equal(sameResource("https://example.com/MCP", "https://example.com/mcp"), false);
  assert.equal(sameResource("https://example.com/mcp?a=1", "https://example.com/mcp"), false);
  assert.equal(sameResource("https://a/#x", "https://a/#x"), false);
  assert.equal(sameResource("not a uri", "not a uri"), false);
});
