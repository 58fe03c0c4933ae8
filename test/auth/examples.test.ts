/** The auth examples, each against the loopback authorization server and driven by official clients. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ClientCredentialsProvider as V2ClientCredentials } from "@modelcontextprotocol/client";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import type { FastMCP, TokenVerifier } from "../../src/index.ts";
import { type AuthServer, startAuthServer } from "../helpers/auth-server.ts";
import { initializeMessage, LEGACY_HEADERS, post } from "../helpers/http.ts";
import { type Loopback, listenLoopback, text, v1OAuth, v2OAuth } from "../helpers/oauth-clients.ts";

const CLIENTS = {
  app: { secret: "app-secret", scopes: ["user", "read", "files:read", "files:write"] },
};

const v1Provider = (as: AuthServer, scope: string) =>
  new ClientCredentialsProvider({
    clientId: "app",
    clientSecret: CLIENTS.app.secret,
    expectedIssuer: as.issuer,
    scope,
  });

/** The status of a legacy `initialize` with `token`: what the server makes of the token alone. */
async function statusWith(url: string, token: string): Promise<number> {
  const reply = await post(url, initializeMessage(), {
    ...LEGACY_HEADERS,
    authorization: `Bearer ${token}`,
  });
  return reply.status;
}

/** The v1 transport's StreamableHTTPError: the status in `code`, the response body in the message. */
const httpError = (status: number, body: RegExp) => (error: Error & { code?: unknown }) =>
  error.code === status && body.test(error.message);

describe("auth-basic: the guide's ProductionTokenVerifier, and JWTVerifier doing the same", async () => {
  const example = await import("../../examples/auth-basic.ts");
  let as: AuthServer;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS });
  });
  after(() => as.close());

  for (const [name, makeVerifier] of [
    [
      "ProductionTokenVerifier",
      (c: ReturnType<typeof example.configFromEnv>) => new example.ProductionTokenVerifier(c),
    ],
    ["jwtVerifierFor", example.jwtVerifierFor],
  ] as const) {
    test(`${name}: discovery and get_user_data; missing scope, other audience, blacklisted jti; JWKS down is 503`, async () => {
      const http = await listenLoopback();
      const url = `${http.base}/mcp`;
      const config = example.configFromEnv({
        AUTH_ISSUER: as.issuer,
        AUTH_JWKS_URI: as.jwksUri,
        MCP_RESOURCE_URL: url,
      });
      const mcp: FastMCP = example.createServer(config, makeVerifier(config) as TokenVerifier);
      http.use(mcp.nodeHandler());
      try {
        const token = (claims = {}) =>
          as.sign({ sub: "u1", aud: url, scope: "user read", jti: crypto.randomUUID(), ...claims });
        // First, before the key set was ever fetched: it cannot be, so 503, not 401.
        as.jwksMode = "500";
        assert.equal(await statusWith(url, await token()), 503);
        as.jwksMode = "ok";

        const v1 = await v1OAuth(url, { authProvider: v1Provider(as, "user read") });
        try {
          const result = await v1.client.callTool({ name: "get_user_data" });
          assert.deepEqual(JSON.parse(text(result) ?? "{}"), {
            data: "sensitive information",
            subject: "app",
          });
        } finally {
          await v1.close();
        }
        assert.deepEqual(as.tokenRequests.at(-1)?.resources, [url]);

        assert.equal(await statusWith(url, await token()), 200);
        assert.equal(await statusWith(url, await token({ scope: "user" })), 401, "no read");
        assert.equal(await statusWith(url, await token({ aud: "https://elsewhere" })), 401);
        assert.equal(await statusWith(url, await token({ iss: "https://evil.example" })), 401);
        const listed = await token({ jti: "stolen-1" });
        assert.equal(await statusWith(url, listed), 200);
        example.blacklist.add("stolen-1");
        assert.equal(await statusWith(url, listed), 401, "blacklisted after it was accepted");
      } finally {
        example.blacklist.clear();
        as.jwksMode = "ok";
        await mcp.close();
        await http.close();
      }
    });
  }
});

describe("auth-scopes: per-component scopes, step-up, ctx.auth, revocation", async () => {
  const example = await import("../../examples/auth-scopes.ts");
  let as: AuthServer;
  let http: Loopback;
  let mcp: FastMCP;
  let url: string;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS });
    http = await listenLoopback();
    url = `${http.base}/mcp`;
    const config = example.configFromEnv({
      AUTH_ISSUER: as.issuer,
      AUTH_JWKS_URI: as.jwksUri,
      MCP_RESOURCE_URL: url,
    });
    mcp = example.createServer(config);
    http.use(mcp.nodeHandler());
  });
  after(async () => {
    await mcp.close();
    await http.close();
    await as.close();
  });

  test("a reader sees what files:read allows; delete_file is 403 naming files:write", async () => {
    const challenges: string[] = [];
    const v1 = await v1OAuth(url, {
      authProvider: v1Provider(as, "files:read"),
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 403)
          challenges.push(response.headers.get("www-authenticate") ?? "");
        return response;
      },
    });
    try {
      const tools = (await v1.client.listTools()).tools.map((t) => t.name);
      assert.deepEqual(tools, ["whoami", "read_file"]);
      const templates = (await v1.client.listResourceTemplates()).resourceTemplates;
      assert.deepEqual(
        templates.map((t) => t.uriTemplate),
        ["files://{name}"],
      );
      const read = await v1.client.readResource({ uri: "files://notes.txt" });
      assert.deepEqual(read.contents, [
        { uri: "files://notes.txt", mimeType: "text/plain", text: "buy milk" },
      ]);
      assert.equal(
        text(await v1.client.callTool({ name: "read_file", arguments: { name: "plan.md" } })),
        "# Plan",
      );
      await assert.rejects(
        v1.client.callTool({ name: "delete_file", arguments: { name: "plan.md" } }),
        /403/,
      );
    } finally {
      await v1.close();
    }
    assert.match(challenges[0] ?? "", /^Bearer error="insufficient_scope", scope="files:write"/);
  });

  test("a token without files:read sees neither the tools nor the template, and reading is 403", async () => {
    const token = await as.sign({ sub: "nobody", aud: url, scope: "" });
    const v1 = await v1OAuth(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      assert.deepEqual(
        (await v1.client.listTools()).tools.map((t) => t.name),
        ["whoami"],
      );
      assert.deepEqual((await v1.client.listResourceTemplates()).resourceTemplates, []);
      assert.deepEqual((await v1.client.listResources()).resources, []);
      await assert.rejects(
        v1.client.readResource({ uri: "files://notes.txt" }),
        httpError(403, /insufficient_scope.*files:read/),
      );
    } finally {
      await v1.close();
    }
  });

  for (const mode of ["auto", "legacy"] as const) {
    test(`v2 (${mode}): step-up from files:read to files:write, then whoami shows the new token`, async () => {
      const v2 = await v2OAuth(
        url,
        mode,
        new V2ClientCredentials({
          clientId: "app",
          clientSecret: CLIENTS.app.secret,
          expectedIssuer: as.issuer,
          scope: "files:read",
        }),
      );
      try {
        const deleted = await v2.client.callTool({
          name: "delete_file",
          arguments: { name: `ghost-${mode}` },
        });
        assert.equal(text(deleted), `No file ghost-${mode}`);
        const me = JSON.parse(text(await v2.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual(me, {
          subject: "app",
          client: "app",
          scopes: ["files:read", "files:write"],
        });
      } finally {
        await v2.close();
      }
    });
  }

  test("revocation: a token's jti put in the Set is refused on its next request", async () => {
    const token = await as.sign({ sub: "u2", aud: url, scope: "files:read", jti: "jti-revoke-me" });
    const v1 = await v1OAuth(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    try {
      const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
      assert.equal(me.subject, "u2");
      example.revoked.add("jti-revoke-me");
      await assert.rejects(v1.client.callTool({ name: "whoami" }), httpError(401, /invalid_token/));
    } finally {
      example.revoked.clear();
      await v1.close();
    }
  });

  test("devVerifier: the static tokens, for trying it without an authorization server", async () => {
    const devHttp = await listenLoopback();
    const config = example.configFromEnv({ MCP_RESOURCE_URL: `${devHttp.base}/mcp` });
    const dev = example.createServer(config, example.devVerifier);
    devHttp.use(dev.nodeHandler());
    try {
      const v2 = await v2OAuth(`${devHttp.base}/mcp`, "auto", { token: async () => "dev-writer" });
      try {
        const me = JSON.parse(text(await v2.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual(me, {
          subject: "writer",
          client: "dev",
          scopes: ["files:read", "files:write"],
        });
      } finally {
        await v2.close();
      }
    } finally {
      await dev.close();
      await devHttp.close();
    }
  });
});

describe("auth-multi-client: a strict and a flexible server under /openai and /claude", async () => {
  const example = await import("../../examples/auth-multi-client.ts");
  const API = "https://api.example.com";
  let as: AuthServer;
  let app: Awaited<ReturnType<typeof example.start>>;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS, defaultAudience: API });
    app = await example.start(
      0,
      example.configFromEnv({
        AUTH_ISSUER: as.issuer,
        AUTH_JWKS_URI: as.jwksUri,
        API_AUDIENCE: API,
      }),
    );
  });
  after(async () => {
    await app.stop();
    await as.close();
  });

  test("each metadata document names its own resource, at its path-inserted URL", async () => {
    for (const name of ["openai", "claude"]) {
      const response = await fetch(`${app.base}/.well-known/oauth-protected-resource/${name}`);
      assert.equal(response.status, 200);
      const document = await response.json();
      assert.equal(document.resource, `${app.base}/${name}`);
      assert.deepEqual(document.authorization_servers, [as.issuer]);
    }
  });

  test("the v1 client with ClientCredentialsProvider discovers and connects to each", async () => {
    for (const name of ["openai", "claude"]) {
      const url = `${app.base}/${name}`;
      const v1 = await v1OAuth(url, { authProvider: v1Provider(as, "user") });
      try {
        const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual(me, { server: name, subject: "app", audience: [url] });
      } finally {
        await v1.close();
      }
      assert.deepEqual(as.tokenRequests.at(-1)?.resources, [url]);
    }
  });

  test("each accepts its own tokens and refuses the other's audience; only the strict one checks resource", async () => {
    const openai = `${app.base}/openai`;
    const claude = `${app.base}/claude`;
    const forOpenai = await as.sign({ aud: openai, resource: openai, scope: "user" });
    const forClaude = await as.sign({ aud: claude, scope: "user" });
    const forApi = await as.sign({ aud: API, scope: "user" });
    const openaiNoResource = await as.sign({ aud: openai, scope: "user" });
    assert.deepEqual(
      await Promise.all(
        [forOpenai, forClaude, forApi, openaiNoResource].map((t) => statusWith(openai, t)),
      ),
      [200, 401, 401, 401],
    );
    assert.deepEqual(
      await Promise.all([forOpenai, forClaude, forApi].map((t) => statusWith(claude, t))),
      [401, 200, 200],
    );
  });

  test("a pre-obtained API token (client_credentials without resource) works at /claude with the v2 client", async () => {
    const tokenResponse = await fetch(as.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "app",
        client_secret: CLIENTS.app.secret,
        scope: "user",
      }),
    });
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    assert.equal(as.tokenRequests.at(-1)?.authMethod, "client_secret_post");
    for (const mode of ["auto", "legacy"] as const) {
      const v2 = await v2OAuth(`${app.base}/claude`, mode, { token: async () => access_token });
      try {
        const me = JSON.parse(text(await v2.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual(me.audience, [API]);
      } finally {
        await v2.close();
      }
    }
  });
});
