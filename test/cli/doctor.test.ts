/**
 * `fastmcp-ts doctor` run as a subprocess against real servers: the
 * command's own HTTP serving, protected servers in-process on loopback
 * (right, and wrong in the ways docs/auth.md lists), and nothing at all.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import cors from "cors";
import express from "express";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP } from "../../src/index.ts";
import { startAuthServer } from "../helpers/auth-server.ts";
import { CLI_FIXTURES, runCli, startCliHttp } from "../helpers/cli.ts";
import { type Loopback, listenLoopback } from "../helpers/oauth-clients.ts";

const doctor = (url: string, ...flags: string[]) => runCli(["doctor", url, ...flags]);

/** The checklist's lines that start with a mark. */
const marked = (stdout: string, mark: "✓" | "✗" | "!" | "·") =>
  stdout.split("\n").filter((line) => line.startsWith(`${mark} `));

/** An authorization server that publishes RFC 8414 metadata, right unless `change` says otherwise. */
async function metadataServer(
  change: (document: Record<string, unknown>) => Record<string, unknown> = (d) => d,
): Promise<{ issuer: string; close(): Promise<void> }> {
  let issuer = "";
  const server: Server = createServer((req, res) => {
    if (req.url !== "/.well-known/oauth-authorization-server") return void res.writeHead(404).end();
    const document = change({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A server behind a static token, its auth settings as the test says. */
function protectedServer(auth: {
  issuerUrl: string;
  resourceServerUrl: string;
  scopesSupported?: string[];
}) {
  const mcp = new FastMCP("Guarded", {
    logLevel: "silent",
    tokenVerifier: new StaticTokenVerifier({ "good-token": { scopes: ["mcp"] } }),
    auth: { requiredScopes: ["mcp"], ...auth },
    // What run() sets on loopback; a bare nodeHandler() has no Host list of its own.
    http: { allowedHosts: ["127.0.0.1"] },
  });
  mcp.tool("ping_tool", {}, () => "pong");
  return mcp;
}

/** Serves `build(base)` on loopback for the length of `body`. */
async function serving(
  build: (base: string) => { mcp: FastMCP; handler?: Parameters<Loopback["use"]>[0] },
  body: (base: string) => Promise<void>,
): Promise<void> {
  const http = await listenLoopback();
  const { mcp, handler } = build(http.base);
  http.use(handler ?? mcp.nodeHandler());
  try {
    await body(http.base);
  } finally {
    await mcp.close();
    await http.close();
  }
}

test("a correct unprotected server (fastmcp-ts run over HTTP): every check passes, exit 0", async () => {
  const served = await startCliHttp([
    "run",
    join(CLI_FIXTURES, "exported.ts"),
    "--transport",
    "streamable-http",
    "--port",
    "0",
  ]);
  try {
    const result = await doctor(served.url);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(marked(result.stdout, "✗"), []);
    assert.deepEqual(marked(result.stdout, "!"), []);
    for (const line of [
      /^✓ reachable: HTTP 200 in \d+ ms$/m,
      /^· not protected/m,
      /^✓ 2026-07-28 era answers\n {4}server\/discover: 2026-07-28$/m,
      /^✓ legacy era \(2025-11-25\) answers\n {4}initialize: version 2025-11-25, server cli-exported 1\.0\.0\n {4}notifications\/initialized: HTTP 202\n {4}session \S+ ended with DELETE: HTTP 200$/m,
      /^✓ Origin: a foreign Origin is refused \(403\), its own accepted$/m,
      /^✓ Host: a foreign Host header is refused \(403\)$/m,
      /^· CORS: off for https:\/\/fastmcp-doctor\.invalid/m,
      /^0 failures, 0 warnings, 5 passed$/m,
    ])
      assert.match(result.stdout, line);
  } finally {
    await served.stop();
  }
});

test("a loopback server open to any Origin and any Host: two warnings (DNS rebinding), exit 0", async () => {
  await serving(
    () => ({ mcp: new FastMCP("Open", { logLevel: "silent", http: { allowedOrigins: "*" } }) }),
    async (base) => {
      const result = await doctor(`${base}/mcp`);
      assert.equal(result.code, 0, result.stdout);
      assert.deepEqual(marked(result.stdout, "!"), [
        "! Origin: a foreign Origin (https://fastmcp-doctor.invalid) is accepted over plain http (HTTP 200)",
        "! Host: a foreign Host header is accepted (HTTP 200)",
      ]);
      assert.match(result.stdout, /on loopback, any web page the user opens can reach this server/);
      assert.match(
        result.stdout,
        /fix: list the host names the server answers to \(http\.allowedHosts/,
      );
    },
  );
});

test("nothing listening: not reachable, connection refused, exit 1", async () => {
  const free = createServer();
  await new Promise<void>((done) => free.listen(0, "127.0.0.1", done));
  const port = (free.address() as AddressInfo).port;
  await new Promise<void>((done) => free.close(() => done()));
  const result = await doctor(`http://127.0.0.1:${port}/mcp`);
  assert.equal(result.code, 1);
  assert.match(
    result.stdout,
    new RegExp(
      `^✗ not reachable: connection refused: nothing listens on 127\\.0\\.0\\.1:${port}\\n {4}fix: start the server`,
      "m",
    ),
  );
});

test("usage errors: not a URL, a malformed --header, --origin that is not an origin (exit 2)", async () => {
  for (const [args, message] of [
    [["doctor", "example.com/mcp"], /"example\.com\/mcp" is not an http\(s\) URL/],
    [["doctor", "http://127.0.0.1:9/mcp", "--header", "no colon"], /--header takes "Name: value"/],
    [
      ["doctor", "http://127.0.0.1:9/mcp", "--origin", "https://a.example/path"],
      /--origin takes an origin/,
    ],
    [["doctor"], /Which server\?/],
  ] as const) {
    const result = await runCli([...args]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});

describe("protected servers", () => {
  let as: Awaited<ReturnType<typeof metadataServer>>;
  before(async () => {
    as = await metadataServer();
  });
  after(() => as.close());

  test("correct: the whole discovery chain passes without a token, exit 0; with one, the token and both eras too", async () => {
    await serving(
      (base) => ({
        mcp: protectedServer({ issuerUrl: as.issuer, resourceServerUrl: `${base}/mcp` }),
      }),
      async (base) => {
        const result = await doctor(`${base}/mcp`);
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.deepEqual(marked(result.stdout, "✗"), []);
        assert.deepEqual(marked(result.stdout, "!"), []);
        const prm = `${base}/.well-known/oauth-protected-resource`;
        for (const line of [
          "✓ reachable: HTTP 401",
          `✓ 401 challenge: Bearer with resource_metadata\n    ${prm}/mcp`,
          `✓ resource metadata (named by the 401, path-inserted well-known URL): HTTP 200\n    ${prm}/mcp`,
          `✓ resource metadata (root well-known URL): HTTP 200\n    ${prm}\n`,
          `✓ resource: ${base}/mcp is the URL given`,
          `✓ authorization_servers: ${as.issuer}`,
          `✓ authorization server ${as.issuer}: metadata at ${as.issuer}/.well-known/oauth-authorization-server`,
          `✓ authorization server ${as.issuer}: issuer identical`,
          `✓ authorization server ${as.issuer}: authorization and token endpoints, PKCE S256`,
          `· authorization server ${as.issuer}: client registration: dynamic client registration`,
          "· protocol eras: not checked without an accepted token",
          "✓ Origin: a foreign Origin is refused (403), its own accepted",
          "✓ Host: a foreign Host header is refused (403)",
        ])
          assert.ok(result.stdout.includes(line), `${line}\n---\n${result.stdout}`);

        const withToken = await doctor(`${base}/mcp`, "-H", "Authorization: Bearer good-token");
        assert.equal(withToken.code, 0, withToken.stdout);
        assert.match(withToken.stdout, /^✓ token: accepted \(HTTP 200\)$/m);
        assert.match(withToken.stdout, /^✓ 2026-07-28 era answers$/m);
        assert.match(withToken.stdout, /^✓ legacy era \(2025-11-25\) answers$/m);

        const badToken = await doctor(`${base}/mcp`, "--header", "Authorization: Bearer stolen");
        assert.equal(badToken.code, 1);
        assert.match(
          badToken.stdout,
          /^✗ token: refused \(HTTP 401: invalid_token: The access token is invalid or expired\)\n {4}fix: a token from the listed authorization server whose audience \(aud\) names http:\/\/127\.0\.0\.1:\d+\/mcp/m,
        );
      },
    );
  });

  test("resourceServerUrl not the URL clients use: ✗ resource, and the fix names the URL", async () => {
    await serving(
      (base) => ({
        mcp: protectedServer({ issuerUrl: as.issuer, resourceServerUrl: `${base}/other` }),
      }),
      async (base) => {
        const result = await doctor(`${base}/mcp`);
        assert.equal(result.code, 1);
        assert.deepEqual(marked(result.stdout, "✗"), [
          `✗ resource: ${base}/other is not the URL given (${base}/mcp)`,
        ]);
        assert.ok(
          result.stdout.includes(
            `    fix: set auth.resourceServerUrl to "${base}/mcp", the URL clients use`,
          ),
          result.stdout,
        );
      },
    );
  });

  test("a resource that is a same-origin prefix, and offline_access in scopes_supported: warnings, exit 0", async () => {
    await serving(
      (base) => ({
        mcp: protectedServer({
          issuerUrl: as.issuer,
          resourceServerUrl: base,
          scopesSupported: ["mcp", "offline_access"],
        }),
      }),
      async (base) => {
        const result = await doctor(`${base}/mcp`);
        assert.equal(result.code, 0, result.stdout);
        assert.deepEqual(marked(result.stdout, "!"), [
          `! resource: ${base} is a prefix of the URL given (${base}/mcp)`,
          "! scopes_supported lists offline_access",
        ]);
      },
    );
  });

  test("the authorization server's metadata names another issuer (a trailing slash): ✗ with the exact issuer to list", async () => {
    await serving(
      (base) => ({
        mcp: protectedServer({ issuerUrl: `${as.issuer}/`, resourceServerUrl: `${base}/mcp` }),
      }),
      async (base) => {
        const result = await doctor(`${base}/mcp`);
        assert.equal(result.code, 1);
        assert.deepEqual(marked(result.stdout, "✗"), [
          `✗ authorization server ${as.issuer}/: its metadata says issuer "${as.issuer}"`,
        ]);
        assert.ok(
          result.stdout.includes(
            `    fix: list it exactly as the authorization server spells it, trailing slash included: auth.issuerUrl: "${as.issuer}"`,
          ),
          result.stdout,
        );
      },
    );
  });

  test("mounted under a prefix without the metadata route: ✗ where the 401 points, and the fix names the route", async () => {
    await serving(
      (base) => {
        const mcp = protectedServer({ issuerUrl: as.issuer, resourceServerUrl: `${base}/api/mcp` });
        const app = express();
        app.use("/api", mcp.nodeHandler());
        return { mcp, handler: app };
      },
      async (base) => {
        const result = await doctor(`${base}/api/mcp`);
        assert.equal(result.code, 1);
        const prm = "/.well-known/oauth-protected-resource/api/mcp";
        assert.deepEqual(marked(result.stdout, "✗"), [
          "✗ resource metadata (named by the 401, path-inserted well-known URL): HTTP 404",
        ]);
        assert.ok(
          result.stdout.includes(
            `    fix: the endpoint is mounted under /api and serves the metadata at ${base}/api/.well-known/oauth-protected-resource/mcp, where clients do not look: route GET ${prm} to the same handler too`,
          ),
          result.stdout,
        );
      },
    );
  });

  test("an authorization server without PKCE S256 (the loopback client-credentials one): ✗ that clients refuse it", async () => {
    const loopbackAs = await startAuthServer({ clients: {} });
    try {
      await serving(
        (base) => ({
          mcp: protectedServer({ issuerUrl: loopbackAs.issuer, resourceServerUrl: `${base}/mcp` }),
        }),
        async (base) => {
          const result = await doctor(`${base}/mcp`);
          assert.equal(result.code, 1);
          assert.deepEqual(marked(result.stdout, "✗"), [
            `✗ authorization server ${loopbackAs.issuer}: metadata lacks code_challenge_methods_supported with S256`,
          ]);
          assert.match(result.stdout, /client registration: neither dynamic registration/);
        },
      );
    } finally {
      await loopbackAs.close();
    }
  });
});

describe("CORS for a browser app's origin (--origin)", () => {
  const APP = "https://app.example";

  test("fastmcp-ts's cors option: ✓, the page can read Mcp-Session-Id", async () => {
    await serving(
      () => {
        const mcp = new FastMCP("Browser", {
          logLevel: "silent",
          http: { cors: { origin: [APP] } },
        });
        return { mcp };
      },
      async (base) => {
        const result = await doctor(`${base}/mcp`, "--origin", APP);
        assert.equal(result.code, 0, result.stdout);
        assert.match(
          result.stdout,
          /^✓ CORS: on for https:\/\/app\.example \(Access-Control-Allow-Origin: https:\/\/app\.example\); exposes mcp-session-id$/m,
        );
      },
    );
  });

  test("a CORS middleware that exposes nothing: ✗, the page cannot keep its session", async () => {
    await serving(
      () => {
        const mcp = new FastMCP("Browser", { logLevel: "silent", http: { allowedOrigins: [APP] } });
        const app = express();
        app.use(cors({ origin: APP }));
        app.use(mcp.nodeHandler());
        return { mcp, handler: app };
      },
      async (base) => {
        const result = await doctor(`${base}/mcp`, "--origin", APP);
        assert.equal(result.code, 1, result.stdout);
        assert.match(
          result.stdout,
          /^✗ CORS: on for https:\/\/app\.example, but browser clients break\n {4}the page cannot read mcp-session-id \(not in Access-Control-Expose-Headers\): no session\n {4}fix: allow the MCP request headers and expose Mcp-Session-Id/m,
        );
      },
    );
  });
});
