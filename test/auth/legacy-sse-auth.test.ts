/** The 2024-11-05 HTTP+SSE transport behind auth: the stream needs a token, its messages the same principal and each tool's scopes. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport as V1Sse } from "@modelcontextprotocol/sdk/client/sse.js";
import { FastMCP, type TokenVerifier } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";

const people = new Map([
  ["alice", { subject: "alice", scopes: ["files:write"] }],
  ["bob", { subject: "bob", scopes: [] as string[] }],
]);
const verifier: TokenVerifier = {
  verifyToken: (token) => {
    const person = people.get(token);
    return person && { token, ...person };
  },
};
const mcp = new FastMCP("old-clients", { tokenVerifier: verifier, logLevel: "silent" });
mcp.tool("whoami", {}, (_args, ctx) => ctx.auth?.subject ?? "nobody");
mcp.tool("write", { scopes: ["files:write"] }, () => "written");

let served: Served;
let base: string;
before(async () => {
  served = await serveHttp(mcp, { legacySse: true });
  base = served.url.replace(/\/mcp$/, "");
});
after(() => served.stop());

function client(token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const transport = new V1Sse(new URL(`${base}/sse`), {
    requestInit: { headers },
    eventSourceInit: {
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...headers } }),
    },
  });
  return { transport, client: new V1Client({ name: "sse", version: "1.0.0" }) };
}

test("no token: the stream is refused with the challenge", async () => {
  const response = await fetch(`${base}/sse`, { headers: { accept: "text/event-stream" } });
  assert.equal(response.status, 401);
  assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
});

test("the v1 SSE client with a token: ctx.auth, and 403 for a tool whose scope it lacks", async () => {
  const alice = client("alice");
  await alice.client.connect(alice.transport);
  const bob = client("bob");
  await bob.client.connect(bob.transport);
  try {
    const whoami = await alice.client.callTool({ name: "whoami", arguments: {} });
    assert.deepEqual(whoami.content, [{ type: "text", text: "alice" }]);
    assert.deepEqual((await alice.client.callTool({ name: "write", arguments: {} })).content, [
      { type: "text", text: "written" },
    ]);
    const names = (await bob.client.listTools()).tools.map((tool) => tool.name);
    assert.deepEqual(names, ["whoami"]);
    await assert.rejects(bob.client.callTool({ name: "write", arguments: {} }), /403/);
  } finally {
    await alice.client.close();
    await bob.client.close();
  }
});

test("a message posted to another principal's stream is 404, as if the stream did not exist", async () => {
  const alice = client("alice");
  await alice.client.connect(alice.transport);
  try {
    const endpoint = (alice.transport as unknown as { _endpoint: URL })._endpoint;
    const message = { jsonrpc: "2.0", id: 99, method: "tools/list", params: {} };
    const post = (token: string) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(message),
      });
    assert.equal((await post("bob")).status, 404);
    assert.equal((await post("alice")).status, 202);
  } finally {
    await alice.client.close();
  }
});
