/**
 * `fastmcp-ts run` in production: FASTMCP_* variables under the flags, JSON
 * logs with --log-format, the access line, and bad variables refused before
 * the file loads.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI_FIXTURES, cliCommand, runCli } from "../helpers/cli.ts";
import { ROOT } from "../helpers/clients.ts";

const fixture = (name: string) => join(CLI_FIXTURES, name);

/** The environment without any FASTMCP_ variable of the machine's, plus `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("FASTMCP_")),
  );
  return { ...clean, ...extra };
}

/** Starts the command; resolves with the URL it announces (in either log format). */
function serve(
  args: string[],
  extra: Record<string, string>,
): Promise<{ url: string; stderr: () => string; stop: () => Promise<void>; child: ChildProcess }> {
  const { command, args: full } = cliCommand(args);
  const child = spawn(command, full, {
    cwd: ROOT,
    env: env(extra),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL within 20 s:\n${stderr}`));
    }, 20_000);
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
      const match = /Serving MCP over Streamable HTTP at (http:\/\/[^\s"]+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        child,
        stderr: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before serving:\n${stderr}`));
    });
  });
}

test("the environment alone serves HTTP with JSON logs, and each request is one JSON access line", async () => {
  const served = await serve(["run", fixture("exported.ts")], {
    FASTMCP_TRANSPORT: "streamable-http",
    FASTMCP_PORT: "0",
    FASTMCP_LOG_FORMAT: "json",
  });
  try {
    const client = new Client({ name: "prod-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    await client.close();
  } finally {
    await served.stop();
  }
  const logged = served
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(
    logged.every((line) => line.server === "cli-exported" && typeof line.time === "string"),
  );
  const call = logged.find((line) => line.mcpMethod === "tools/call");
  assert.ok(call, served.stderr());
  assert.equal(call.level, "info");
  assert.equal(call.tool, "add");
  assert.equal(call.status, 200);
  assert.equal(typeof call.session, "string");
});

test("flags win over the environment: --port, --path, --log-format", async () => {
  const served = await serve(
    ["run", fixture("exported.ts"), "--port", "0", "--path", "/flag", "--log-format", "human"],
    {
      FASTMCP_TRANSPORT: "streamable-http",
      FASTMCP_PORT: "1",
      FASTMCP_PATH: "/env",
      FASTMCP_LOG_FORMAT: "json",
    },
  );
  await served.stop();
  assert.match(served.url, /:\d{4,5}\/flag$/);
  assert.match(served.stderr(), /^\[cli-exported\] INFO Serving MCP/m);
});

test("a bad variable is a usage error naming it, before the file loads", async () => {
  for (const [name, value, message] of [
    ["FASTMCP_PORT", "abc", 'FASTMCP_PORT must be a port number from 0 to 65535, got "abc"'],
    ["FASTMCP_LOG_LEVEL", "chatty", "FASTMCP_LOG_LEVEL must be one of debug, info"],
    ["FASTMCP_TRANSPORT", "grpc", "FASTMCP_TRANSPORT must be one of stdio, streamable-http"],
  ] as const) {
    const result = await runCli(["run", fixture("exported.ts")], { env: env({ [name]: value }) });
    assert.equal(result.code, 2, result.stderr);
    assert.ok(result.stderr.startsWith(`fastmcp-ts: ${message}`), result.stderr);
    assert.doesNotMatch(result.stderr, /printed while loading/, "the file was not loaded");
  }
  const format = await runCli(["run", fixture("exported.ts"), "--log-format", "xml"], {
    env: env({}),
  });
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--log-format must be human or json, not "xml"/);
});

test("over stdio: --log-format json and --log-level apply to the server's log, stdout stays protocol", async () => {
  for (const [flags, warned] of [
    [["--log-format", "json"], true],
    [["--log-level", "error"], false],
  ] as const) {
    const { command, args } = cliCommand(["run", fixture("exported.ts"), ...flags]);
    const transport = new StdioClientTransport({
      command,
      args,
      stderr: "pipe",
      env: env({ FASTMCP_PROT: "8000" }) as Record<string, string>,
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk) => (stderr += chunk));
    const client = new Client({ name: "prod-test", version: "1.0.0" });
    await client.connect(transport);
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(result.content, [{ type: "text", text: "5" }]);
    await client.close();
    const warning = stderr.split("\n").find((line) => line.includes("FASTMCP_PROT"));
    if (!warned) assert.equal(warning, undefined, "--log-level error hides the warning");
    else {
      assert.ok(warning, stderr);
      const parsed = JSON.parse(warning) as Record<string, unknown>;
      assert.equal(parsed.level, "warn");
      assert.match(String(parsed.msg), /did you mean FASTMCP_PORT\?/);
    }
  }
});
