/** The HTTP endpoint behind a token verifier: challenges, metadata, step-up, session binding, ctx.auth. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { type AccessToken, FastMCP, type TokenVerifier } from "../../src/index.ts";
import {
  LEGACY_HEADERS,
  MODERN_HEADERS,
  MODERN_META,
  post,
  type Served,
  serveHttp,
} from "../helpers/http.ts";

/** Tokens by value; every call counted, so a test can tell nothing reached the verifier. */
class MapVerifier implements TokenVerifier {
  readonly tokens = new Map<string, Omit<AccessToken, "token">>();
  calls = 0;
  fail = false;
  verifyToken(token: string): AccessToken | undefined {
    this.calls++;
    if (this.fail) throw new Error(`JWKS down while checking ${token}`);
    const found = this.tokens.get(token);
    return found && { token, ...found };
  }
}

const RESOURCE = "http://127.0.0.1:1/mcp";
const METADATA_URL = "http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp";

function server(verifier: TokenVerifier, seen: (AccessToken | undefined)[]) {
  const mcp = new FastMCP("guarded", {
    tokenVerifier: verifier,
    auth: {
      issuerUrl: "https://auth.example.com",
      resourceServerUrl: RESOURCE,
      requiredScopes: ["mcp"],
      resourceName: "Guarded demo",
    },
  });
  mcp.tool("whoami", { description: "Who the token says you are" }, (_args, ctx) => {
    seen.push(ctx.auth);
    return ctx.auth?.subject ?? "nobody";
  });
  mcp.tool("delete_file", { scopes: ["files:write", "files:read"] }, () => "deleted");
  mcp.prompt(
    "secret_prompt",
    { scopes: ["prompts:secret"], args: { x: z.string() }, complete: { x: () => ["one"] } },
    () => "psst",
  );
  mcp.resource("files://private", { scopes: ["files:read"] }, () => "private");
  mcp.resource("files://{name}/public", {}, ({ name }) => `public ${name}`);
  return mcp;
}

const bearer = (token: string) => ({ ...LEGACY_HEADERS, authorization: `Bearer ${token}` });
const modern = (token: string, method = "tools/list", name?: string) => ({
  ...MODERN_HEADERS,
  authorization: `Bearer ${token}`,
  "mcp-method": method,
  ...(name === undefined ? {} : { "mcp-name": name }),
});
const init = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "t", version: "1" },
  },
};

function modernCall(name: string, args: Record<string, unknown> = {}) {
  return {
    jsonrpc: "2.0",
    id: 7,
    method: "tools/call",
    params: { name, arguments: args, _meta: MODERN_META },
  };
}

describe("HTTP behind a token verifier", () => {
  const verifier = new MapVerifier();
  verifier.tokens.set("alice", { subject: "alice", scopes: ["mcp"], clientId: "c1" });
  verifier.tokens.set("alice-writer", {
    subject: "alice",
    scopes: ["mcp", "files:write", "files:read"],
    clientId: "c1",
  });
  verifier.tokens.set("bob", {
    subject: "bob",
    scopes: ["mcp", "files:write", "files:read"],
    clientId: "c1",
  });
  verifier.tokens.set("prompter", { subject: "pat", scopes: ["mcp", "prompts:secret"] });
  verifier.tokens.set("no-mcp", { subject: "carol", scopes: ["files:read"] });
  verifier.tokens.set("stale-token", {
    subject: "dan",
    scopes: ["mcp"],
    expiresAt: Math.floor(Date.now() / 1000) - 10,
  });
  const seen: (AccessToken | undefined)[] = [];
  let served: Served;
  let url: string;
  before(async () => {
    served = await serveHttp(server(verifier, seen));
    url = served.url;
  });
  after(() => served.stop());

  test("no token: 401 with the challenge naming the metadata and the required scopes; nothing dispatched", async () => {
    const calls = verifier.calls;
    const reply = await post(url, modernCall("whoami"), {
      ...MODERN_HEADERS,
      "mcp-method": "tools/call",
      "mcp-name": "whoami",
    });
    assert.equal(reply.status, 401);
    assert.equal(
      reply.headers.get("www-authenticate"),
      `Bearer scope="mcp", resource_metadata="${METADATA_URL}", error_description="Authorization required"`,
    );
    assert.equal(verifier.calls, calls);
    assert.equal(seen.length, 0);
  });

  test("another scheme counts as no credentials (no error code); a malformed Bearer is 400", async () => {
    const basic = await post(url, init, { ...LEGACY_HEADERS, authorization: "Basic YTpi" });
    assert.equal(basic.status, 401);
    assert.doesNotMatch(basic.headers.get("www-authenticate") ?? "", /error=/);
    for (const header of ["Bearer", "Bearer ", "Bearer a b", "Bearer <token>"]) {
      const reply = await post(url, init, { ...LEGACY_HEADERS, authorization: header });
      assert.equal(reply.status, 400, `${header}: ${reply.status}`);
      assert.match(reply.headers.get("www-authenticate") ?? "", /error="invalid_request"/);
    }
  });

  test("a token in the query string is refused, even a valid one", async () => {
    const reply = await post(`${url}?access_token=alice`, init, LEGACY_HEADERS);
    assert.equal(reply.status, 400);
    assert.deepEqual((reply.body as { error: string }).error, "invalid_request");
    const both = await post(`${url}?access_token=alice`, init, bearer("alice"));
    assert.equal(both.status, 400);
  });

  test("an unknown or expired token: 401 invalid_token, and the token is not echoed", async () => {
    for (const token of ["nobody-knows-me", "stale-token"]) {
      const reply = await post(url, init, bearer(token));
      assert.equal(reply.status, 401);
      const challenge = reply.headers.get("www-authenticate") ?? "";
      assert.match(challenge, /^Bearer error="invalid_token", scope="mcp", resource_metadata="/);
      assert.ok(!JSON.stringify(reply.body).includes(token));
    }
  });

  test("a token without the server's required scopes: 403 insufficient_scope", async () => {
    const reply = await post(url, init, bearer("no-mcp"));
    assert.equal(reply.status, 403);
    assert.match(
      reply.headers.get("www-authenticate") ?? "",
      /error="insufficient_scope", scope="mcp"/,
    );
  });

  test("a verifier that throws: 503 with Retry-After, and the log never holds the token", async () => {
    const lines: string[] = [];
    const failing = new MapVerifier();
    failing.fail = true;
    const mcp = new FastMCP("failing", {
      tokenVerifier: failing,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error: (message, error) =>
          lines.push(`${message} ${String((error as Error)?.stack ?? error)}`),
      },
    });
    mcp.tool("t", {}, () => "x");
    const other = await serveHttp(mcp);
    try {
      const reply = await post(other.url, init, bearer("s3cr3t-token"));
      assert.equal(reply.status, 503);
      assert.equal(reply.headers.get("retry-after"), "5");
      assert.ok(lines.length > 0);
      assert.ok(
        lines.every((line) => !line.includes("s3cr3t-token")),
        lines.join("\n"),
      );
    } finally {
      await other.stop();
    }
  });

  test("the verified token is ctx.auth; the Authorization header is not in ctx.http", async () => {
    const reply = await post(url, modernCall("whoami"), modern("alice", "tools/call", "whoami"));
    assert.equal(reply.status, 200);
    const result = (reply.body as { result: { content: { text: string }[] } }).result;
    assert.equal(result.content[0]?.text, "alice");
    const token = seen.at(-1);
    assert.equal(token?.token, "alice");
    assert.deepEqual(token?.scopes, ["mcp"]);
  });

  test("step-up: a tool needing scopes the token lacks gets 403 naming every scope the call needs, in both eras", async () => {
    const legacy = await post(url, init, bearer("alice"));
    const session = legacy.headers.get("mcp-session-id") ?? "";
    const call = {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "delete_file", arguments: {} },
    };
    const refused = await post(url, call, { ...bearer("alice"), "mcp-session-id": session });
    assert.equal(refused.status, 403);
    assert.match(
      refused.headers.get("www-authenticate") ?? "",
      /^Bearer error="insufficient_scope", scope="mcp files:write files:read", resource_metadata=/,
    );
    const modernRefused = await post(
      url,
      modernCall("delete_file"),
      modern("alice", "tools/call", "delete_file"),
    );
    assert.equal(modernRefused.status, 403);
    const granted = await post(
      url,
      modernCall("delete_file"),
      modern("bob", "tools/call", "delete_file"),
    );
    assert.equal(granted.status, 200);
    assert.equal(
      (granted.body as { result: { content: { text: string }[] } }).result.content[0]?.text,
      "deleted",
    );
  });

  test("step-up covers prompts and resources (by exact URI and by template)", async () => {
    const get = {
      jsonrpc: "2.0",
      id: 3,
      method: "prompts/get",
      params: { name: "secret_prompt", _meta: MODERN_META },
    };
    const refused = await post(url, get, modern("bob", "prompts/get", "secret_prompt"));
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get("www-authenticate") ?? "", /scope="mcp prompts:secret"/);
    const read = (uri: string) => ({
      jsonrpc: "2.0",
      id: 4,
      method: "resources/read",
      params: { uri, _meta: MODERN_META },
    });
    const headers = (token: string, uri: string) => modern(token, "resources/read", uri);
    assert.equal(
      (await post(url, read("files://private"), headers("alice", "files://private"))).status,
      403,
    );
    assert.equal(
      (await post(url, read("files://private"), headers("bob", "files://private"))).status,
      200,
    );
    assert.equal(
      (await post(url, read("files://x/public"), headers("alice", "files://x/public"))).status,
      200,
    );
  });

  test("completion on a prompt the token may not use answers as for an unknown prompt", async () => {
    const complete = (token: string) =>
      post(
        url,
        {
          jsonrpc: "2.0",
          id: 8,
          method: "completion/complete",
          params: {
            ref: { type: "ref/prompt", name: "secret_prompt" },
            argument: { name: "x", value: "" },
            _meta: MODERN_META,
          },
        },
        modern(token, "completion/complete"),
      );
    const hidden = (await complete("alice")).body as { error: { message: string } };
    assert.match(hidden.error.message, /^Unknown prompt: secret_prompt/);
    const shown = (await complete("prompter")).body as {
      result: { completion: { values: string[] } };
    };
    assert.deepEqual(shown.result.completion.values, ["one"]);
  });

  test("lists leave out what the token may not use, and are cached per scope set", async () => {
    const list = (token: string) =>
      post(
        url,
        { jsonrpc: "2.0", id: 5, method: "tools/list", params: { _meta: MODERN_META } },
        modern(token),
      );
    const names = async (token: string) =>
      ((await list(token)).body as { result: { tools: { name: string }[] } }).result.tools.map(
        (t) => t.name,
      );
    assert.deepEqual(await names("alice"), ["whoami"]);
    assert.deepEqual(await names("bob"), ["whoami", "delete_file"]);
    assert.deepEqual(await names("alice-writer"), ["whoami", "delete_file"]);
    assert.deepEqual(await names("alice"), ["whoami"]);
    const resources = await post(
      url,
      { jsonrpc: "2.0", id: 6, method: "resources/list", params: { _meta: MODERN_META } },
      modern("alice", "resources/list"),
    );
    const uris = (
      resources.body as { result: { resources: { uri: string }[] } }
    ).result.resources.map((r) => r.uri);
    assert.deepEqual(uris, []);
  });

  test("a legacy session belongs to its principal: another's token learns nothing of it", async () => {
    const opened = await post(url, init, bearer("alice"));
    const session = opened.headers.get("mcp-session-id") ?? "";
    assert.ok(session);
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} };
    const mine = await post(url, list, { ...bearer("alice-writer"), "mcp-session-id": session });
    assert.equal(
      mine.status,
      200,
      "the same subject with another token (refreshed) keeps the session",
    );
    const theirs = await post(url, list, { ...bearer("bob"), "mcp-session-id": session });
    const unknown = await post(url, list, {
      ...bearer("bob"),
      "mcp-session-id": "no-such-session",
    });
    assert.equal(theirs.status, 404);
    assert.deepEqual(theirs.body, unknown.body);
    const get = await fetch(url, {
      headers: {
        accept: "text/event-stream",
        authorization: "Bearer bob",
        "mcp-session-id": session,
      },
    });
    assert.equal(get.status, 404);
    const del = await fetch(url, {
      method: "DELETE",
      headers: { authorization: "Bearer bob", "mcp-session-id": session },
    });
    assert.equal(del.status, 404);
    const still = await post(url, list, { ...bearer("alice"), "mcp-session-id": session });
    assert.equal(still.status, 200);
  });

  test("the protected resource metadata, at the path-inserted and root forms, readable from any origin", async () => {
    const origin = new URL(url).origin;
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-protected-resource",
    ]) {
      const response = await fetch(`${origin}${path}`, {
        headers: { origin: "https://inspector.example" },
      });
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await response.json(), {
        resource: RESOURCE,
        authorization_servers: ["https://auth.example.com"],
        bearer_methods_supported: ["header"],
        scopes_supported: ["mcp"],
        resource_name: "Guarded demo",
      });
    }
    const preflight = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`, {
      method: "OPTIONS",
      headers: { origin: "https://inspector.example", "access-control-request-method": "GET" },
    });
    assert.equal(preflight.status, 204);
    assert.equal((await fetch(`${origin}/.well-known/oauth-protected-resource/other`)).status, 404);
  });
});
