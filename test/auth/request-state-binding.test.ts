/** 2026-07-28 requestState over HTTP behind auth: bound to the verified principal, not to whoever holds it. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP, type TokenVerifier } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META, post, type Served, serveHttp } from "../helpers/http.ts";

const people = new Map([
  ["alice-1", { subject: "alice", scopes: [] as string[] }],
  ["alice-2", { subject: "alice", scopes: [] as string[] }],
  ["bob-1", { subject: "bob", scopes: [] as string[] }],
]);
const verifier: TokenVerifier = {
  verifyToken: (token) => {
    const person = people.get(token);
    return person && { token, ...person };
  },
};

const mcp = new FastMCP("Rounds", { tokenVerifier: verifier, logLevel: "silent" });
mcp.tool("greet", { input: { lang: z.string() } }, async ({ lang }, ctx) => {
  const answer = await ctx.elicit("Your name?", { name: z.string() });
  return answer.action === "accept" ? `${lang}: hello ${answer.content.name}` : answer.action;
});

let served: Served;
before(async () => {
  served = await serveHttp(mcp);
});
after(() => served.stop());

const META = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };

function greet(token: string, extra: Record<string, unknown> = {}) {
  return post(
    served.url,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { _meta: META, name: "greet", arguments: { lang: "en" }, ...extra },
    },
    {
      ...MODERN_HEADERS,
      authorization: `Bearer ${token}`,
      "mcp-method": "tools/call",
      "mcp-name": "greet",
    },
  );
}

test("requestState issued to one principal is refused for another, and honoured for the same one with a new token", async () => {
  const first = (await greet("alice-1")).body as {
    result: { resultType: string; requestState: string };
  };
  assert.equal(first.result.resultType, "input_required");
  const retry = {
    requestState: first.result.requestState,
    inputResponses: { "elicit-1": { action: "accept", content: { name: "Lin" } } },
  };
  const stolen = (await greet("bob-1", retry)).body as { error: { message: string } };
  assert.match(stolen.error.message, /^Invalid requestState: it belongs to a different request/);
  const refreshed = (await greet("alice-2", retry)).body as { result: { content: unknown } };
  assert.deepEqual(refreshed.result.content, [{ type: "text", text: "en: hello Lin" }]);
});
