/**
 * The official SDK clients doing real OAuth against a fastmcp-ts server: a
 * loopback authorization server issues RS256 JWTs (client_credentials), the
 * MCP server checks them with a JWTVerifier on that server's JWKS, and the
 * clients find everything from the first 401.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getRequestListener } from "@hono/node-server";
import { ClientCredentialsProvider as V2ClientCredentials } from "@modelcontextprotocol/client";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import express from "express";
import { Hono } from "hono";
import { z } from "zod";
import { JWTVerifier } from "../../src/auth/index.ts";
import { FastMCP } from "../../src/index.ts";
import { type AuthServer, startAuthServer } from "../helpers/auth-server.ts";
import type { V2Mode } from "../helpers/clients.ts";
import { type Loopback, listenLoopback, text, v1OAuth, v2OAuth } from "../helpers/oauth-clients.ts";

const CLIENTS = {
  agent: { secret: "agent-secret", scopes: ["mcp", "files:write"] },
  narrow: { secret: "narrow-secret", scopes: ["mcp", "files:write"] },
};

/** A server behind a JWTVerifier on the loopback authorization server's keys. */
function protectedServer(as: AuthServer, resourceServerUrl: string, options = {}) {
  const mcp = new FastMCP("Protected", {
    logLevel: "silent",
    tokenVerifier: new JWTVerifier({
      jwksUri: as.jwksUri,
      issuer: as.issuer,
      audience: resourceServerUrl,
      algorithms: ["RS256"],
    }),
    auth: { issuerUrl: as.issuer, resourceServerUrl, requiredScopes: ["mcp"] },
    ...options,
  });
  mcp.tool("whoami", { description: "The verified token, as the tool sees it" }, (_args, ctx) =>
    JSON.stringify({
      subject: ctx.auth?.subject,
      clientId: ctx.auth?.clientId,
      scopes: ctx.auth?.scopes,
      audience: ctx.auth?.audience,
      issuer: ctx.auth?.issuer,
    }),
  );
  mcp.tool(
    "delete_file",
    { scopes: ["files:write"], input: { path: z.string() } },
    ({ path }) => `deleted ${path}`,
  );
  return mcp;
}

const provider = (id: keyof typeof CLIENTS, as: AuthServer, scope = "mcp") =>
  new ClientCredentialsProvider({
    clientId: id,
    clientSecret: CLIENTS[id].secret,
    expectedIssuer: as.issuer,
    scope,
  });

describe("the v1 client's OAuth discovery, at the server's root", () => {
  let as: AuthServer;
  let http: Loopback;
  let mcp: FastMCP;
  let url: string;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS });
    http = await listenLoopback();
    url = `${http.base}/mcp`;
    mcp = protectedServer(as, url);
    http.use(mcp.nodeHandler());
  });
  after(async () => {
    await mcp.close();
    await http.close();
    await as.close();
  });

  test("no token: 401, the metadata from resource_metadata, the AS metadata, a token for this resource, then tools", async () => {
    const v1 = await v1OAuth(url, { authProvider: provider("agent", as) });
    try {
      const names = (await v1.client.listTools()).tools.map((tool) => tool.name);
      assert.deepEqual(names, ["whoami"], "delete_file needs files:write, not granted");
      const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
      assert.deepEqual(me, {
        subject: "agent",
        clientId: "agent",
        scopes: ["mcp"],
        audience: [url],
        issuer: as.issuer,
      });
    } finally {
      await v1.close();
    }
    const first = http.seen[0];
    assert.equal(first?.method, "POST");
    assert.equal(first?.bearer, false);
    assert.equal(first?.status, 401);
    assert.equal(
      first?.wwwAuthenticate,
      `Bearer scope="mcp", resource_metadata="${http.base}/.well-known/oauth-protected-resource/mcp", error_description="Authorization required"`,
    );
    const metadataReads = http.seen.filter(
      (r) => r.path === "/.well-known/oauth-protected-resource/mcp" && r.status === 200,
    );
    assert.equal(metadataReads.length, 1);
    assert.equal(as.count("/.well-known/oauth-authorization-server"), 1);
    assert.equal(as.tokenRequests.length, 1);
    const [request] = as.tokenRequests;
    assert.deepEqual(request?.resources, [url], "the RFC 8707 resource is resourceServerUrl");
    assert.equal(request?.authMethod, "client_secret_basic");
    assert.equal(request?.scope, "mcp");
    assert.equal(request?.error, undefined);
    // After the token, every request carried it and none was refused.
    const afterToken = http.seen.slice(http.seen.indexOf(metadataReads[0]!) + 1);
    assert.ok(afterToken.length >= 3);
    assert.ok(afterToken.every((r) => r.bearer && r.status < 400));
  });

  test("step-up: the v1 SDK re-authorizes on 403 insufficient_scope, but asks again for its configured scope", async () => {
    const before = as.tokenRequests.length;
    const challenges: string[] = [];
    const v1 = await v1OAuth(url, {
      authProvider: provider("narrow", as, "mcp"),
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 403)
          challenges.push(response.headers.get("www-authenticate") ?? "");
        return response;
      },
    });
    try {
      await assert.rejects(
        v1.client.callTool({ name: "delete_file", arguments: { path: "a.txt" } }),
        /403.*after trying upscoping/,
      );
    } finally {
      await v1.close();
    }
    const challenge = `Bearer error="insufficient_scope", scope="mcp files:write", resource_metadata="${http.base}/.well-known/oauth-protected-resource/mcp", error_description="This operation needs the scopes: mcp files:write"`;
    assert.deepEqual(challenges, [challenge, challenge]);
    const requests = as.tokenRequests.slice(before);
    assert.deepEqual(
      requests.map((r) => [r.clientId, r.scope, r.granted]),
      [
        ["narrow", "mcp", ["mcp"]],
        // The step-up: the SDK's fetchToken passes provider.clientMetadata.scope, not the challenge's.
        ["narrow", "mcp", ["mcp"]],
      ],
    );
    // A token that has the scope: the same call succeeds.
    const wider = await v1OAuth(url, { authProvider: provider("narrow", as, "mcp files:write") });
    try {
      const result = await wider.client.callTool({
        name: "delete_file",
        arguments: { path: "a.txt" },
      });
      assert.equal(text(result), "deleted a.txt");
    } finally {
      await wider.close();
    }
  });

  test("a plain bearer header (requestInit), legacy era: list and call", async () => {
    const token = await as.sign({ sub: "svc", client_id: "ops", aud: url, scope: "mcp" });
    const v1 = await v1OAuth(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const firstSeen = http.seen.length;
    try {
      assert.deepEqual(
        (await v1.client.listTools()).tools.map((t) => t.name),
        ["whoami"],
      );
      const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
      assert.equal(me.subject, "svc");
      assert.equal(me.clientId, "ops");
      assert.ok(v1.transport.sessionId, "a legacy session");
    } finally {
      await v1.close();
    }
    assert.ok(http.seen.slice(firstSeen).every((r) => r.bearer && r.status < 400));
  });

  test("an authorization server that takes client_secret_post only: the SDK sends the secret in the body", async () => {
    const postOnly = await startAuthServer({
      clients: CLIENTS,
      authMethods: ["client_secret_post"],
    });
    const http2 = await listenLoopback();
    const mcp2 = protectedServer(postOnly, `${http2.base}/mcp`);
    http2.use(mcp2.nodeHandler());
    try {
      const v1 = await v1OAuth(`${http2.base}/mcp`, {
        authProvider: new ClientCredentialsProvider({
          clientId: "agent",
          clientSecret: CLIENTS.agent.secret,
          expectedIssuer: postOnly.issuer,
          scope: "mcp",
        }),
      });
      await v1.client.callTool({ name: "whoami" });
      await v1.close();
      assert.deepEqual(
        postOnly.tokenRequests.map((r) => [r.authMethod, r.error]),
        [["client_secret_post", undefined]],
      );
    } finally {
      await mcp2.close();
      await http2.close();
      await postOnly.close();
    }
  });
});

describe("the v2 client: bearer tokens in both eras", () => {
  let as: AuthServer;
  let http: Loopback;
  let mcp: FastMCP;
  let url: string;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS });
    http = await listenLoopback();
    url = `${http.base}/mcp`;
    mcp = protectedServer(as, url);
    http.use(mcp.nodeHandler());
  });
  after(async () => {
    await mcp.close();
    await http.close();
    await as.close();
  });

  const v2Provider = (scope = "mcp") =>
    new V2ClientCredentials({
      clientId: "narrow",
      clientSecret: CLIENTS.narrow.secret,
      expectedIssuer: as.issuer,
      scope,
    });

  for (const mode of ["auto", "legacy"] as V2Mode[]) {
    const era = mode === "auto" ? "2026-07-28" : "legacy";

    test(`${era}: ClientCredentialsProvider discovers, fetches a token and calls; ctx.auth in the tool`, async () => {
      const firstSeen = http.seen.length;
      const tokens = as.tokenRequests.length;
      const v2 = await v2OAuth(url, mode, v2Provider());
      try {
        const me = JSON.parse(text(await v2.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual([me.subject, me.clientId, me.audience], ["narrow", "narrow", [url]]);
      } finally {
        await v2.close();
      }
      const seen = http.seen.slice(firstSeen);
      assert.equal(seen[0]?.status, 401);
      assert.ok(seen.some((r) => r.path === "/.well-known/oauth-protected-resource/mcp"));
      assert.deepEqual(
        as.tokenRequests.slice(tokens).map((r) => r.resources),
        [[url]],
      );
      const posts = seen.filter((r) => r.method === "POST" && r.bearer);
      if (mode === "auto") {
        assert.ok(posts.every((r) => r.protocolVersion === "2026-07-28" && !r.sessionId));
      } else {
        assert.ok(posts.slice(1).every((r) => r.sessionId !== undefined));
        assert.ok(posts.every((r) => r.protocolVersion !== "2026-07-28"));
      }
    });

    test(`${era}: a plain token source (authProvider.token)`, async () => {
      const token = await as.sign({ sub: "kim", client_id: "cli", aud: url, scope: "mcp" });
      const firstSeen = http.seen.length;
      const v2 = await v2OAuth(url, mode, { token: async () => token });
      try {
        const me = JSON.parse(text(await v2.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual([me.subject, me.clientId, me.scopes], ["kim", "cli", ["mcp"]]);
      } finally {
        await v2.close();
      }
      assert.ok(http.seen.slice(firstSeen).every((r) => r.bearer && r.status < 400));
    });

    test(`${era}: step-up: the v2 SDK asks for the challenged scopes and the call succeeds`, async () => {
      const tokens = as.tokenRequests.length;
      const firstSeen = http.seen.length;
      const v2 = await v2OAuth(url, mode, v2Provider("mcp"));
      try {
        const result = await v2.client.callTool({
          name: "delete_file",
          arguments: { path: "b.txt" },
        });
        assert.equal(text(result), "deleted b.txt");
      } finally {
        await v2.close();
      }
      const refused = http.seen.slice(firstSeen).filter((r) => r.status === 403);
      assert.equal(refused.length, 1);
      assert.match(
        refused[0]?.wwwAuthenticate ?? "",
        /insufficient_scope", scope="mcp files:write"/,
      );
      assert.deepEqual(
        as.tokenRequests.slice(tokens).map((r) => r.granted),
        [["mcp"], ["mcp", "files:write"]],
      );
    });
  }
});

describe("mounted under a prefix in Express", () => {
  let as: AuthServer;
  let http: Loopback;
  let mcp: FastMCP;
  let resource: string;
  before(async () => {
    as = await startAuthServer({ clients: CLIENTS });
    http = await listenLoopback();
    resource = `${http.base}/openai/mcp`;
    mcp = protectedServer(as, resource);
    const app = express();
    app.use("/openai", mcp.nodeHandler());
    app.get("/.well-known/oauth-protected-resource/openai/mcp", mcp.nodeHandler());
    http.use(app);
  });
  after(async () => {
    await mcp.close();
    await http.close();
    await as.close();
  });

  test("the v1 client's discovery finds the metadata from the 401 and gets a token for the prefixed resource", async () => {
    const v1 = await v1OAuth(resource, { authProvider: provider("agent", as) });
    try {
      const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
      assert.deepEqual(me.audience, [resource]);
    } finally {
      await v1.close();
    }
    assert.match(
      http.seen[0]?.wwwAuthenticate ?? "",
      new RegExp(
        `resource_metadata="${http.base}/.well-known/oauth-protected-resource/openai/mcp"`,
      ),
    );
    const read = http.seen.find(
      (r) => r.path === "/.well-known/oauth-protected-resource/openai/mcp",
    );
    assert.equal(read?.status, 200);
    assert.deepEqual(as.tokenRequests.at(-1)?.resources, [resource]);
    const document = await (
      await fetch(`${http.base}/.well-known/oauth-protected-resource/openai/mcp`)
    ).json();
    assert.equal(document.resource, resource);
    // The third form: after the endpoint's path, relative to the mount (no extra route needed).
    const relative = await fetch(`${http.base}/openai/.well-known/oauth-protected-resource/mcp`);
    assert.equal(relative.status, 200);
    assert.equal((await relative.json()).resource, resource);
  });
});

describe("mounted under a prefix in Hono (docs/auth.md's recipe)", () => {
  test("app.mount plus the metadata route: the v1 client discovers and connects", async () => {
    const as = await startAuthServer({ clients: CLIENTS });
    const http = await listenLoopback();
    const resource = `${http.base}/openai/mcp`;
    const mcp = protectedServer(as, resource);
    const app = new Hono();
    app.mount("/openai", mcp.fetch);
    app.get("/.well-known/oauth-protected-resource/openai/mcp", (c) => mcp.fetch(c.req.raw));
    http.use(getRequestListener(app.fetch));
    try {
      const v1 = await v1OAuth(resource, { authProvider: provider("agent", as) });
      try {
        const me = JSON.parse(text(await v1.client.callTool({ name: "whoami" })) ?? "{}");
        assert.deepEqual(me.audience, [resource]);
      } finally {
        await v1.close();
      }
      const read = http.seen.find(
        (r) => r.path === "/.well-known/oauth-protected-resource/openai/mcp",
      );
      assert.equal(read?.status, 200);
      assert.deepEqual(as.tokenRequests.at(-1)?.resources, [resource]);
    } finally {
      await mcp.close();
      await http.close();
      await as.close();
    }
  });
});

describe("CORS on: a browser client can read the challenge", () => {
  test("the 401 exposes WWW-Authenticate to the page's origin", async () => {
    const as = await startAuthServer({ clients: CLIENTS });
    const http = await listenLoopback();
    const mcp = protectedServer(as, `${http.base}/mcp`, {
      http: { cors: { origin: "https://app.example" }, allowedOrigins: ["https://app.example"] },
    });
    http.use(mcp.nodeHandler());
    try {
      const reply = await fetch(`${http.base}/mcp`, {
        method: "POST",
        headers: {
          origin: "https://app.example",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      assert.equal(reply.status, 401);
      assert.equal(reply.headers.get("access-control-allow-origin"), "https://app.example");
      assert.match(reply.headers.get("access-control-expose-headers") ?? "", /WWW-Authenticate/);
      assert.match(reply.headers.get("www-authenticate") ?? "", /resource_metadata=/);
    } finally {
      await mcp.close();
      await http.close();
      await as.close();
    }
  });
});

test("a tokenVerifier without auth settings: no metadata, and challenges that name none", async () => {
  const as = await startAuthServer({ clients: CLIENTS });
  const http = await listenLoopback();
  const mcp = new FastMCP("Unlisted", {
    logLevel: "silent",
    tokenVerifier: new JWTVerifier({
      jwksUri: as.jwksUri,
      issuer: as.issuer,
      audience: `${http.base}/mcp`,
    }),
  });
  http.use(mcp.nodeHandler());
  try {
    const reply = await fetch(`${http.base}/mcp`, { method: "POST" });
    assert.equal(reply.status, 401);
    assert.equal(
      reply.headers.get("www-authenticate"),
      'Bearer error_description="Authorization required"',
    );
    for (const path of ["", "/mcp"])
      assert.equal(
        (await fetch(`${http.base}/.well-known/oauth-protected-resource${path}`)).status,
        404,
      );
  } finally {
    await mcp.close();
    await http.close();
    await as.close();
  }
});

describe("misconfigurations, as the client sees them (docs/auth.md's table)", () => {
  let as: AuthServer;
  before(async () => {
    as = await startAuthServer({
      clients: { ...CLIENTS, reader: { secret: "reader-secret", scopes: ["mcp"] } },
    });
  });
  after(() => as.close());

  /** A server at `<base>/mcp` built by `build` (the base known first), torn down after `body`. */
  async function withServer(
    build: (base: string) => { mcp: FastMCP; handler?: Parameters<Loopback["use"]>[0] },
    body: (base: string, http: Loopback) => Promise<void>,
  ) {
    const http = await listenLoopback();
    const { mcp, handler } = build(http.base);
    http.use(handler ?? mcp.nodeHandler());
    try {
      await body(http.base, http);
    } finally {
      await mcp.close();
      await http.close();
    }
  }

  const verifierFor = (audience: string, issuer = as.issuer) =>
    new JWTVerifier({ jwksUri: as.jwksUri, issuer, audience });

  function server(base: string, tokenVerifier: JWTVerifier, resourceServerUrl = `${base}/mcp`) {
    const mcp = new FastMCP("Misconfigured", {
      logLevel: "silent",
      tokenVerifier,
      auth: { issuerUrl: as.issuer, resourceServerUrl, requiredScopes: ["mcp"] },
    });
    mcp.tool("ping_tool", {}, () => "pong");
    mcp.tool("write", { scopes: ["files:write"] }, () => "written");
    return mcp;
  }

  for (const [mistake, verifier] of [
    ["audience is not what the provider puts in aud", (base: string) => verifierFor(`${base}/api`)],
    [
      "issuer differs by a trailing slash",
      (base: string) => verifierFor(`${base}/mcp`, `${as.issuer}/`),
    ],
  ] as const) {
    test(`${mistake}: 401 invalid_token straight after a token was issued`, async () => {
      await withServer(
        (base) => ({ mcp: server(base, verifier(base)) }),
        async (base, http) => {
          const tokens = as.tokenRequests.length;
          await assert.rejects(
            v1OAuth(`${base}/mcp`, { authProvider: provider("agent", as) }),
            /401 after successful authentication/,
          );
          assert.deepEqual(
            as.tokenRequests.slice(tokens).map((r) => r.error),
            [undefined],
          );
          assert.match(http.seen.at(-1)?.wwwAuthenticate ?? "", /error="invalid_token"/);
        },
      );
    });
  }

  test("jwksUri unreachable: 503 with Retry-After and no challenge", async () => {
    await withServer(
      (base) => ({ mcp: server(base, verifierFor(`${base}/mcp`)) }),
      async (base, http) => {
        as.jwksMode = "500";
        try {
          await assert.rejects(
            v1OAuth(`${base}/mcp`, { authProvider: provider("agent", as) }),
            (error: Error & { code?: number }) => error.code === 503,
          );
          const last = http.seen.at(-1);
          assert.deepEqual(
            [last?.bearer, last?.status, last?.wwwAuthenticate],
            [true, 503, undefined],
          );
          const token = await as.sign({ aud: `${base}/mcp`, scope: "mcp" });
          const reply = await fetch(`${base}/mcp`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
            },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
          });
          assert.equal(reply.status, 503);
          assert.equal(reply.headers.get("retry-after"), "5");
        } finally {
          as.jwksMode = "ok";
        }
      },
    );
  });

  test("resourceServerUrl not the URL the client uses: the client refuses the metadata's resource", async () => {
    await withServer(
      (base) => ({
        mcp: server(base, verifierFor(`${base}/other`), `${base}/other`),
      }),
      async (base) => {
        const tokens = as.tokenRequests.length;
        await assert.rejects(
          v1OAuth(`${base}/mcp`, { authProvider: provider("agent", as) }),
          /Protected resource .*\/other does not match expected .*\/mcp/,
        );
        assert.equal(as.tokenRequests.length, tokens, "no token was asked for");
      },
    );
  });

  test("a resourceServerUrl that is a path prefix of the client's URL (same origin) is accepted", async () => {
    await withServer(
      (base) => ({ mcp: server(base, verifierFor(base), base) }),
      async (base) => {
        const v1 = await v1OAuth(`${base}/mcp`, { authProvider: provider("agent", as) });
        try {
          assert.equal(text(await v1.client.callTool({ name: "ping_tool" })), "pong");
        } finally {
          await v1.close();
        }
        assert.deepEqual(as.tokenRequests.at(-1)?.resources, [base]);
      },
    );
  });

  test("the metadata path not routed under a mount prefix: 404, and the client cannot find the provider", async () => {
    await withServer(
      (base) => {
        const mcp = server(base, verifierFor(`${base}/api/mcp`), `${base}/api/mcp`);
        const app = express();
        app.use("/api", mcp.nodeHandler());
        return { mcp, handler: app };
      },
      async (base, http) => {
        const tokens = as.tokenRequests.length;
        const discovery = as.count("/.well-known/oauth-authorization-server");
        // The v1 SDK then takes the MCP server's origin for the authorization
        // server, which its credentials are not bound to: it sends them nowhere.
        await assert.rejects(
          v1OAuth(`${base}/api/mcp`, { authProvider: provider("agent", as) }),
          /bound to authorization server/,
        );
        const read = http.seen.find(
          (r) => r.path === "/.well-known/oauth-protected-resource/api/mcp",
        );
        assert.equal(read?.status, 404);
        assert.equal(as.tokenRequests.length, tokens);
        assert.equal(as.count("/.well-known/oauth-authorization-server"), discovery);
      },
    );
  });

  test("a tool's scope the provider never grants: 403 on every call, re-authorization does not help", async () => {
    await withServer(
      (base) => ({ mcp: server(base, verifierFor(`${base}/mcp`)) }),
      async (base, http) => {
        const reader = new V2ClientCredentials({
          clientId: "reader",
          clientSecret: "reader-secret",
          expectedIssuer: as.issuer,
          scope: "mcp",
        });
        const tokens = as.tokenRequests.length;
        const v2 = await v2OAuth(`${base}/mcp`, "auto", reader);
        try {
          assert.equal(text(await v2.client.callTool({ name: "ping_tool" })), "pong");
          await assert.rejects(v2.client.callTool({ name: "write" }), /403/);
        } finally {
          await v2.close();
        }
        // The step-up asked for files:write; the provider granted only mcp.
        const asked = as.tokenRequests.slice(tokens);
        assert.ok(asked.length >= 2);
        assert.ok(asked.slice(1).every((r) => r.scope?.includes("files:write")));
        assert.ok(asked.every((r) => r.granted?.join(" ") === "mcp"));
        assert.ok(http.seen.filter((r) => r.status === 403).length >= 2);
      },
    );
  });
});
