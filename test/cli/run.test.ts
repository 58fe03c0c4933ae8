/** `fastmcp-ts run`: a server file over stdio and HTTP, driven by the official client; and its errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI_FIXTURES, cliCommand, runCli, startCliHttp } from "../helpers/cli.ts";

const fixture = (name: string) => join(CLI_FIXTURES, name);

test("run over stdio: the v1 client lists and calls; the file's console output goes to stderr", async () => {
  const { command, args } = cliCommand(["run", fixture("exported.ts")]);
  const transport = new StdioClientTransport({ command, args, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => (stderr += chunk));
  const client = new Client({ name: "cli-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const tools = await client.listTools();
    assert.deepEqual(
      tools.tools.map((tool) => tool.name),
      ["add"],
    );
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(result.content, [{ type: "text", text: "5" }]);
  } finally {
    await client.close();
  }
  assert.match(stderr, /printed while loading/);
  assert.match(stderr, /a stray console\.log/);
  assert.match(stderr, /and a stray write/);
});

test("run over HTTP with flags: --transport, --port 0, --path, --stateless", async () => {
  const served = await startCliHttp([
    "run",
    fixture("exported.ts"),
    "--transport",
    "streamable-http",
    "--port",
    "0",
    "--path",
    "/api",
    "--stateless",
  ]);
  try {
    assert.match(served.url, /\/api$/);
    const client = new Client({ name: "cli-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(served.url));
    await client.connect(transport);
    const result = await client.callTool({ name: "add", arguments: { a: 1, b: 1 } });
    assert.deepEqual(result.content, [{ type: "text", text: "2" }]);
    assert.equal(transport.sessionId, undefined, "--stateless: no session");
    await client.close();
  } finally {
    await served.stop();
  }
});

test("a file that calls run() itself: the command takes it over, its flags winning over the file's options", async () => {
  const served = await startCliHttp(["run", fixture("self-run.ts"), "--port", "0"]);
  try {
    assert.match(served.url, /\/custom$/, "the file's path is kept");
    const client = new Client({ name: "cli-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    const result = await client.callTool({ name: "hello", arguments: {} });
    assert.deepEqual(result.content, [
      { type: "text", text: "hello from a file that runs itself" },
    ]);
    await client.close();
  } finally {
    await served.stop();
  }
});

test("file:export picks one of several servers; without it the command says which exist", async () => {
  const ambiguous = await runCli(["run", fixture("two-servers.ts")]);
  assert.equal(ambiguous.code, 2);
  assert.match(
    ambiguous.stderr,
    /exports several servers \(news, weather\): name one, as .*two-servers\.ts:news/,
  );
  const { command, args } = cliCommand(["run", `${fixture("two-servers.ts")}:news`]);
  const client = new Client({ name: "cli-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command, args, stderr: "pipe" }));
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ["headline"],
    );
  } finally {
    await client.close();
  }
});

test("errors say what to do, with exit code 2 for usage and 1 for a failing file", async () => {
  const cases: [string[], number, RegExp][] = [
    [["run", fixture("missing.ts")], 2, /No such file: .*missing\.ts/],
    [["run", fixture("no-server.ts")], 2, /exports no FastMCP server: export it/],
    [
      ["run", `${fixture("exported.ts")}:nope`],
      2,
      /no FastMCP server exported as "nope" \(its exports: mcp\)/,
    ],
    [
      ["run", fixture("broken.ts")],
      1,
      /broken\.ts failed to load: Error: the database is not there/,
    ],
    [
      ["run", fixture("exported.ts"), "--bogus"],
      2,
      /Unknown option '--bogus'\nRun fastmcp-ts run --help/,
    ],
    [
      ["run", fixture("exported.ts"), "--transport", "carrier-pigeon"],
      2,
      /--transport must be one of stdio, streamable-http, http, sse/,
    ],
    [["run", fixture("exported.ts"), "--port", "http"], 2, /--port must be a port number/],
    [
      ["run", fixture("exported.ts"), "--port", "8080"],
      2,
      /--port applies to HTTP; add --transport streamable-http/,
    ],
    [["run"], 2, /Which file\?/],
    [["launch"], 2, /Unknown command "launch"/],
    [[], 2, /Usage: fastmcp-ts <command>/],
  ];
  for (const [args, code, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdout, "", `${args.join(" ")} writes nothing to stdout`);
  }
});

test("--help and --version answer on stdout with exit code 0", async () => {
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Commands:\n {2}run/);
  const runHelp = await runCli(["run", "--help"]);
  assert.equal(runHelp.code, 0);
  assert.match(runHelp.stdout, /Usage: fastmcp-ts run <file>\[:export\]/);
  const version = await runCli(["--version"]);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});
