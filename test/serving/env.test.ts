/**
 * FASTMCP_* environment variables: what mcp.run() and the constructor read,
 * options given in code winning, bad values named, unknown names warned
 * about, and docs/cli.md's table in step with the code.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { FastMCP, type FastMCPOptions, type Logger } from "../../src/index.ts";
import {
  COMMAND_ENV_VARS,
  ENV_SETTINGS,
  readRunEnv,
  unknownEnvVars,
} from "../../src/server/env.ts";
import { ROOT } from "../helpers/clients.ts";
import { MODERN_HEADERS, MODERN_META, post, v1Http } from "../helpers/http.ts";

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

function setEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
}

interface Line {
  level: string;
  text: string;
}

function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (text: string) => void lines.push({ level, text });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

type RunOptions = NonNullable<Parameters<FastMCP["run"]>[0]>;

/**
 * Runs `mcp.run(options)` until the test is done; resolves once it listens
 * (or gave up). Options as JavaScript may give them: without `transport`,
 * which the environment then supplies.
 */
async function running(mcp: FastMCP, options: Record<string, unknown> = {}) {
  const stop = new AbortController();
  let listened: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    listened = resolve;
  });
  const done = mcp.run({
    ...options,
    signal: stop.signal,
    onListening: ({ url }: { url: string }) => listened(url),
  } as RunOptions);
  const url = await Promise.race([listening, done.then(() => "")]);
  return {
    url,
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

function server(lines: Line[], options: FastMCPOptions = {}): FastMCP {
  return new FastMCP("Env", { logger: recordingLogger(lines), ...options });
}

test("mcp.run() with no options serves HTTP as the environment says", async () => {
  setEnv({
    FASTMCP_TRANSPORT: "streamable-http",
    FASTMCP_HOST: "127.0.0.1",
    FASTMCP_PORT: "0",
    FASTMCP_PATH: "/from-env",
    FASTMCP_STATELESS_HTTP: "true",
  });
  const lines: Line[] = [];
  const mcp = server(lines);
  mcp.tool("hello", () => "hi");
  // No transport, no port: signal and onListening are the test's, not settings.
  const { url, stop } = await running(mcp);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/from-env$/);
    const { client, close, transport } = await v1Http(url);
    assert.equal(transport.sessionId, undefined, "FASTMCP_STATELESS_HTTP: no session");
    await client.callTool({ name: "hello", arguments: {} });
    await close();
  } finally {
    await stop();
  }
});

test("options given in code win over the environment: run()'s, then the server's", async () => {
  setEnv({
    FASTMCP_TRANSPORT: "streamable-http",
    FASTMCP_PORT: "1",
    FASTMCP_PATH: "/from-env",
    FASTMCP_STATELESS_HTTP: "true",
  });
  const lines: Line[] = [];
  const mcp = server(lines, { streamableHttpPath: "/from-code", statelessHttp: false });
  mcp.tool("hello", () => "hi");
  const { url, stop } = await running(mcp, { port: 0 });
  try {
    assert.match(url, /\/from-code$/, "streamableHttpPath beats FASTMCP_PATH");
    const { transport, close } = await v1Http(url);
    assert.notEqual(transport.sessionId, undefined, "statelessHttp: false beats the variable");
    await close();
  } finally {
    await stop();
  }
  // And run()'s own options beat both.
  const again = await running(server([], { streamableHttpPath: "/from-code" }), {
    transport: "streamable-http",
    port: 0,
    path: "/from-run",
  });
  await again.stop();
  assert.match(again.url, /\/from-run$/);
});

test("FASTMCP_TRANSPORT=stdio or unset keeps run()'s HTTP options an error, not ignored", async () => {
  setEnv({ FASTMCP_TRANSPORT: "stdio" });
  await assert.rejects(
    () => server([]).run({ port: 3000 } as unknown as RunOptions),
    /"port" is an option of the HTTP transport/,
  );
});

test("a bad value is one error line naming the variable and what it takes; exit code 1", async () => {
  for (const [name, value, expected] of [
    [
      "FASTMCP_PORT",
      "abc",
      /^The server could not start: FASTMCP_PORT must be a port number from 0 to 65535, got "abc"$/,
    ],
    ["FASTMCP_PORT", "70000", /FASTMCP_PORT must be a port number/],
    ["FASTMCP_STATELESS_HTTP", "maybe", /FASTMCP_STATELESS_HTTP must be true or false/],
    [
      "FASTMCP_TRANSPORT",
      "websocket",
      /FASTMCP_TRANSPORT must be one of stdio, streamable-http, http, sse/,
    ],
    ["FASTMCP_PATH", "mcp", /FASTMCP_PATH must be a path starting with \//],
    ["FASTMCP_CORS", "evil.example", /FASTMCP_CORS must be true, false, \* or origins/],
  ] as const) {
    setEnv({ FASTMCP_TRANSPORT: "streamable-http", [name]: value });
    const lines: Line[] = [];
    const before = process.exitCode;
    const { url } = await running(server(lines));
    assert.equal(url, "", `${name}=${value} must not serve`);
    const errors = lines.filter((line) => line.level === "error");
    assert.equal(errors.length, 1, `${name}: ${JSON.stringify(lines)}`);
    assert.match(errors[0]?.text ?? "", expected);
    assert.equal(process.exitCode, 1);
    process.exitCode = before;
    delete process.env[name];
  }
});

test("the constructor's variables: a bad one is a TypeError naming it", () => {
  process.env.FASTMCP_LOG_LEVEL = "loud";
  assert.throws(
    () => new FastMCP("Bad"),
    /FASTMCP_LOG_LEVEL must be one of debug, info, .*, got "loud"/,
  );
  process.env.FASTMCP_LOG_LEVEL = "WARNING";
  new FastMCP("Python's spelling is fine");
  process.env.FASTMCP_LOG_FORMAT = "xml";
  assert.throws(() => new FastMCP("Bad"), /FASTMCP_LOG_FORMAT must be human or json, got "xml"/);
  // An option given in code is checked too, and wins.
  delete process.env.FASTMCP_LOG_FORMAT;
  assert.throws(
    () => new FastMCP("Bad", { logFormat: "yaml" as "json" }),
    /logFormat must be "human" or "json"/,
  );
});

test("FASTMCP_MASK_ERROR_DETAILS hides an unexpected error's message unless code says otherwise", async () => {
  process.env.FASTMCP_MASK_ERROR_DETAILS = "1";
  for (const [options, masked] of [
    [{}, true],
    [{ maskErrorDetails: false }, false],
  ] as const) {
    const mcp = server([], options);
    mcp.tool("boom", () => {
      throw new Error("database password is hunter2");
    });
    const result = await mcp.callTool("boom");
    assert.equal(result.isError, true);
    assert.equal(JSON.stringify(result.content).includes("hunter2"), !masked);
  }
});

test("the values each variable takes", () => {
  const env = readRunEnv({
    FASTMCP_ALLOWED_HOSTS: " mcp.example.com, 10.0.0.5:8000 ,",
    FASTMCP_ALLOWED_ORIGINS: "*",
    FASTMCP_CORS: "https://a.example, http://localhost:3000",
    FASTMCP_HEALTH_PATH: "/live",
    FASTMCP_ACCESS_LOG: "off",
    FASTMCP_JSON_RESPONSE: "YES",
    FASTMCP_SHUTDOWN_TIMEOUT_MS: "2500",
    FASTMCP_HOST: "   ",
  });
  assert.deepEqual(env.allowedHosts, ["mcp.example.com", "10.0.0.5:8000"]);
  assert.equal(env.allowedOrigins, "*");
  assert.deepEqual(env.cors, { origin: ["https://a.example", "http://localhost:3000"] });
  assert.deepEqual(env.health, { path: "/live" });
  assert.equal(env.accessLog, false);
  assert.equal(env.jsonResponse, true);
  assert.equal(env.shutdownTimeoutMs, 2500);
  assert.equal(env.host, undefined, "blank is unset");
  assert.equal(readRunEnv({ FASTMCP_CORS: "*" }).cors, true);
  assert.equal(readRunEnv({ FASTMCP_HEALTH: "false", FASTMCP_HEALTH_PATH: "/x" }).health, false);
  assert.equal(readRunEnv({ FASTMCP_HEALTH: "true" }).health, true);
});

test("FASTMCP_CORS and FASTMCP_ALLOWED_ORIGINS reach the endpoint: a browser origin is let in", async () => {
  setEnv({ FASTMCP_CORS: "https://app.example" });
  const served = await running(server([]), { transport: "streamable-http", port: 0 });
  try {
    const answer = await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } },
      { ...MODERN_HEADERS, "mcp-method": "tools/list", origin: "https://app.example" },
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("access-control-allow-origin"), "https://app.example");
    const other = await post(
      served.url,
      { jsonrpc: "2.0", id: 2, method: "tools/list", params: { _meta: MODERN_META } },
      { ...MODERN_HEADERS, "mcp-method": "tools/list", origin: "https://evil.example" },
    );
    assert.equal(other.status, 403);
  } finally {
    await served.stop();
  }
});

test("an unknown FASTMCP_ variable is a warning naming the closest one, once per process; the server still serves", async () => {
  assert.deepEqual(
    unknownEnvVars({
      FASTMCP_PROT: "8000",
      FASTMCP_ALLOWED_HOST: "x",
      FASTMCP_SERVER_HOST: "0.0.0.0",
      FASTMCP_STREAMABLE_HTTP_PATH: "/mcp",
      FASTMCP_DEBUG: "1",
      FASTMCP_PORT: "1",
      OTHER: "x",
    }),
    [
      { name: "FASTMCP_PROT", suggestion: "FASTMCP_PORT" },
      { name: "FASTMCP_ALLOWED_HOST", suggestion: "FASTMCP_ALLOWED_HOSTS" },
      { name: "FASTMCP_SERVER_HOST", suggestion: "FASTMCP_HOST" },
      { name: "FASTMCP_STREAMABLE_HTTP_PATH", suggestion: "FASTMCP_PATH" },
      { name: "FASTMCP_DEBUG", suggestion: undefined },
    ],
  );
  setEnv({ FASTMCP_PROT: "9000" });
  for (let i = 0; i < 2; i++) {
    const lines: Line[] = [];
    const served = await running(server(lines), { transport: "streamable-http", port: 0 });
    await served.stop();
    assert.notEqual(served.url, "");
    const warnings = lines.filter((line) => line.level === "warn").map((line) => line.text);
    assert.deepEqual(
      warnings,
      i === 0
        ? [
            "FASTMCP_PROT is not a fastmcp-ts setting, so it is ignored; did you mean FASTMCP_PORT? (the settings: docs/cli.md, Production serving)",
          ]
        : [],
    );
  }
});

test('an environment that refuses to be listed (Deno\'s --allow-env="FASTMCP_*") gives no warning, not an error', () => {
  const env = new Proxy<Record<string, string>>(
    {},
    {
      ownKeys: () => {
        throw new Error("NotCapable: Requires env access, run again with the --allow-env flag");
      },
    },
  );
  assert.deepEqual(unknownEnvVars(env), []);
});

test("docs/cli.md's table lists exactly the variables the code reads", () => {
  const docs = readFileSync(join(ROOT, "docs/cli.md"), "utf8");
  const section = docs.slice(docs.indexOf("## Production serving"));
  const documented = [...section.matchAll(/^\| `(FASTMCP_[A-Z_]+)`/gm)].map((match) => match[1]);
  assert.deepEqual([...documented].sort(), ENV_SETTINGS.map((setting) => setting.name).sort());
  // Every variable named in src/'s code (not its comments) is in the list.
  const named = new Set<string>();
  for (const file of sourceFiles(join(ROOT, "src")))
    for (const line of readFileSync(file, "utf8").split("\n"))
      if (!/^\s*(\*|\/\/|\/\*)/.test(line))
        for (const match of line.matchAll(/FASTMCP_[A-Z_]+[A-Z]/g)) named.add(match[0]);
  const known = new Set([...ENV_SETTINGS.map((setting) => setting.name), ...COMMAND_ENV_VARS]);
  assert.deepEqual(
    [...named].filter((name) => !known.has(name)),
    [],
  );
  const http = readFileSync(join(ROOT, "docs/http.md"), "utf8");
  assert.match(http, /cli\.md#production-serving/);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
