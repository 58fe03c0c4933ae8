/** toHttpInfo: what handlers see of the carrying HTTP request, credentials withheld. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHttpInfo } from "../../src/index.ts";

test("credential headers and URL user info are withheld; the rest is kept", () => {
  const info = toHttpInfo("post", "https://user:pass@example.com/mcp?x=1", {
    Authorization: "Bearer secret",
    "Proxy-Authorization": "Basic abc",
    Cookie: "session=1",
    "X-Api-Key": "k",
    "Content-Type": "application/json",
    "Mcp-Session-Id": "abc",
    "X-Forwarded-For": ["10.0.0.1", "10.0.0.2"],
    "x-empty": undefined,
  });
  assert.deepEqual(info, {
    method: "POST",
    url: "https://example.com/mcp?x=1",
    headers: {
      "content-type": "application/json",
      "mcp-session-id": "abc",
      "x-forwarded-for": "10.0.0.1, 10.0.0.2",
    },
  });
  assert.ok(Object.isFrozen(info) && Object.isFrozen(info.headers));
});

test("web Headers, and extra names to withhold", () => {
  const headers = new Headers({ authorization: "Bearer t", "x-tenant-token": "t", accept: "*/*" });
  assert.deepEqual(
    toHttpInfo("GET", new URL("http://localhost:3000/mcp"), headers, ["X-Tenant-Token"]),
    {
      method: "GET",
      url: "http://localhost:3000/mcp",
      headers: { accept: "*/*" },
    },
  );
});

test("the peer's address, when the transport knows it", () => {
  const info = toHttpInfo("GET", "http://localhost/mcp", {}, [], "192.0.2.8");
  assert.deepEqual(info, {
    method: "GET",
    url: "http://localhost/mcp",
    headers: {},
    remoteAddress: "192.0.2.8",
  });
});
