/**
 * The package as users import it: `fastmcp-ts` and `fastmcp-ts/testing`
 * resolved through package.json's exports to the bundled dist/ (`npm test`
 * builds it first). Both entry points must share one copy of the engine, and
 * the bundled JSON Schema validator must be the one that answers.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { requireBuilt } from "./helpers/dist.ts";

const root = join(import.meta.dirname, "..");

test("the published entry points work together from the bundle", async () => {
  requireBuilt("dist/index.js");
  // Specifiers in variables: the typecheck runs before the build, when dist/ may not exist.
  const entry = "fastmcp-ts";
  const testing = "fastmcp-ts/testing";
  const { FastMCP } = (await import(entry)) as typeof import("../src/index.ts");
  const { createTestClient } = (await import(testing)) as typeof import("../src/testing/index.ts");
  const mcp = new FastMCP("bundled");
  mcp.tool(
    "add",
    {
      input: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    },
    (args) => (args.a as number) + (args.b as number),
  );
  for (const era of ["legacy", "modern"] as const) {
    const client = await createTestClient(mcp, { era });
    try {
      const ok = await client.callTool("add", { a: 1, b: 2 });
      assert.deepEqual(ok.content, [{ type: "text", text: "3" }]);
      const bad = await client.callTool("add", { a: 1, b: "2" });
      assert.equal(bad.isError, true);
      assert.match(JSON.stringify(bad.content), /b: Instance type \\"string\\" is invalid/);
    } finally {
      await client.close();
    }
  }
});

test("dist carries the notice of the code it bundles", () => {
  const notices = requireBuilt("dist/THIRD-PARTY-NOTICES.md");
  assert.match(readFileSync(notices, "utf8"), /@cfworker\/json-schema[\s\S]*MIT License/);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.dependencies["@cfworker/json-schema"], undefined);
});

test("fastmcp-ts/auth is its own entry point, and only it loads jose", async () => {
  requireBuilt("dist/auth/index.js");
  const auth = "fastmcp-ts/auth";
  const { JWTVerifier, StaticTokenVerifier, canonicalUri } = (await import(
    auth
  )) as typeof import("../src/auth/index.ts");
  assert.equal(canonicalUri("HTTPS://Example.com/mcp/"), "https://example.com/mcp");
  assert.deepEqual(new StaticTokenVerifier({ t: { scopes: ["a"] } }).verifyToken("t")?.scopes, [
    "a",
  ]);
  const { SignJWT } = await import("jose");
  const secret = new TextEncoder().encode("k".repeat(32));
  const token = await new SignJWT({ iss: "https://as.example", aud: "x", exp: 4e9 })
    .setProtectedHeader({ alg: "HS256" })
    .sign(secret);
  const verifier = new JWTVerifier({
    publicKey: secret,
    issuer: "https://as.example",
    audience: "x",
  });
  assert.equal((await verifier.verifyToken(token))?.issuer, "https://as.example");
  // jose is a peer dependency: imported by name from the auth bundle, never bundled, and
  // never imported by the main entry point or the chunks it shares.
  const authCode = readFileSync(join(root, "dist/auth/index.js"), "utf8");
  assert.match(authCode, /from "jose"/);
  assert.doesNotMatch(authCode, /createLocalJWKSet\s*\(/, "jose's code is not in the bundle");
  for (const file of ["dist/index.js", "dist/testing/index.js"]) {
    const code = readFileSync(join(root, file), "utf8");
    assert.doesNotMatch(code, /["']jose["']/, file);
    for (const chunk of code.matchAll(/from "\.\.?\/(?:\.\.\/)?(chunks\/[^"]+)"/g))
      assert.doesNotMatch(readFileSync(join(root, "dist", chunk[1]!), "utf8"), /["']jose["']/);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.deepEqual(Object.keys(pkg.exports), [
    ".",
    "./testing",
    "./auth",
    "./redis",
    "./middleware",
    "./otel",
    "./package.json",
  ]);
  assert.equal(pkg.dependencies.jose, undefined);
  assert.equal(pkg.peerDependenciesMeta.jose.optional, true);
});

test("the package's bin runs a JavaScript server file over stdio from the bundle, without tsx", async () => {
  const bin = requireBuilt("dist/cli/bin.js");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  assert.deepEqual(pkg.bin, { "fastmcp-ts": "./dist/cli/bin.js" });
  assert.match(readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
  // The JavaScript command path must not load the TypeScript loader.
  assert.doesNotMatch(readFileSync(bin, "utf8"), /from "tsx/);
  const { spawnSync } = await import("node:child_process");
  const server = join(root, "bench/servers/fastmcp-ts-json.mjs");
  const initialize = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    },
  });
  const run = spawnSync(process.execPath, [bin, "run", server], {
    input: `${initialize}\n`,
    env: { ...process.env, TRANSPORT: "stdio" },
    encoding: "utf8",
    timeout: 20_000,
  });
  const first = JSON.parse(run.stdout.split("\n")[0] ?? "{}") as {
    id?: number;
    result?: { serverInfo?: { name?: string } };
  };
  assert.equal(first.id, 1, run.stderr);
  assert.equal(first.result?.serverInfo?.name, "bench");
  const version = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  assert.equal(
    version.stdout.trim(),
    (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version,
  );
});

test("fastmcp-ts/redis is its own entry point, and only it loads @redis/client", async () => {
  requireBuilt("dist/redis/index.js");
  const entry = "fastmcp-ts/redis";
  const { redisState, RedisUnavailableError } = (await import(
    entry
  )) as typeof import("../src/redis/index.ts");
  // Nothing listens on port 1: the first call fails within the connect timeout, clearly.
  const state = redisState({ url: "redis://127.0.0.1:1", connectTimeoutMs: 200 });
  assert.deepEqual(Object.keys({ ...state }), [
    "sessionStore",
    "subscriptionStore",
    "bus",
    "eventStore",
    "taskStore",
  ]);
  await assert.rejects(state.sessionStore.size(), RedisUnavailableError);
  await state.close();
  // The client is a peer dependency: imported by name from the redis bundle, never bundled,
  // and never imported by the other entry points or the chunks they share.
  const redisCode = readFileSync(join(root, "dist/redis/index.js"), "utf8");
  assert.match(redisCode, /from "@redis\/client"/);
  assert.doesNotMatch(redisCode, /class RedisSocket/, "the client's code is not in the bundle");
  for (const file of ["dist/index.js", "dist/testing/index.js", "dist/auth/index.js"]) {
    const code = readFileSync(join(root, file), "utf8");
    assert.doesNotMatch(code, /@redis\/client/, file);
    for (const chunk of code.matchAll(/from "\.\.?\/(?:\.\.\/)?(chunks\/[^"]+)"/g))
      assert.doesNotMatch(readFileSync(join(root, "dist", chunk[1]!), "utf8"), /@redis\/client/);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.dependencies["@redis/client"], undefined);
  assert.equal(pkg.peerDependenciesMeta["@redis/client"].optional, true);
});

test("fastmcp-ts/otel is its own entry point, and only it loads @opentelemetry/api", async () => {
  requireBuilt("dist/otel/index.js");
  const entry = "fastmcp-ts/otel";
  const { openTelemetry } = (await import(entry)) as typeof import("../src/otel/index.ts");
  assert.throws(() => openTelemetry({ recordArgs: true } as never), /recordArgs/);
  const telemetry = openTelemetry();
  assert.equal(typeof telemetry.startRequest, "function");
  // The API is a peer dependency: imported by name from the otel bundle, never bundled, and
  // never imported by the other entry points or the chunks they share.
  const otelCode = readFileSync(join(root, "dist/otel/index.js"), "utf8");
  assert.match(otelCode, /from "@opentelemetry\/api"/);
  assert.doesNotMatch(otelCode, /class ProxyTracerProvider/, "the API's code is not in the bundle");
  for (const file of [
    "dist/index.js",
    "dist/testing/index.js",
    "dist/auth/index.js",
    "dist/redis/index.js",
  ]) {
    const code = readFileSync(join(root, file), "utf8");
    assert.doesNotMatch(code, /@opentelemetry/, file);
    for (const chunk of code.matchAll(/from "\.\.?\/(?:\.\.\/)?(chunks\/[^"]+)"/g))
      assert.doesNotMatch(readFileSync(join(root, "dist", chunk[1]!), "utf8"), /@opentelemetry/);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.dependencies["@opentelemetry/api"], undefined);
  assert.equal(pkg.peerDependenciesMeta["@opentelemetry/api"].optional, true);
});
