/** `fastmcp-ts install`: each client's file, in a temporary home, merged and not overwritten; and the entry started as a client would. */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI, CLI_FIXTURES, runCli } from "../helpers/cli.ts";

/** Run from its TypeScript source, the bin needs tsx: the entry loads it by absolute URL. */
const TSX = ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];

const fixture = (name: string) => join(CLI_FIXTURES, name);
const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A fresh home directory, removed after the tests. */
function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), "fastmcp-install-"));
  homes.push(home);
  return home;
}

/** Runs install with HOME (and the platform) pointing where the test says; nothing else from the environment but PATH. */
function install(
  args: string[],
  home: string,
  platform = "linux",
  extraEnv: NodeJS.ProcessEnv = {},
) {
  return runCli(["install", ...args], {
    env: { PATH: process.env.PATH, HOME: home, FASTMCP_PLATFORM: platform, ...extraEnv },
  });
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2));
}

/** Each client's user config, per platform, relative to HOME: [client, key, linux, darwin, type]. */
const LAYOUTS: [string, string, string, string, string | undefined][] = [
  [
    "claude-desktop",
    "mcpServers",
    ".config/Claude/claude_desktop_config.json",
    "Library/Application Support/Claude/claude_desktop_config.json",
    undefined,
  ],
  ["claude-code", "mcpServers", ".claude.json", ".claude.json", "stdio"],
  ["cursor", "mcpServers", ".cursor/mcp.json", ".cursor/mcp.json", undefined],
  [
    "vscode",
    "servers",
    ".config/Code/User/mcp.json",
    "Library/Application Support/Code/User/mcp.json",
    "stdio",
  ],
  [
    "windsurf",
    "mcpServers",
    ".codeium/windsurf/mcp_config.json",
    ".codeium/windsurf/mcp_config.json",
    undefined,
  ],
];

test("each client, Linux and macOS layouts: the file is created at the client's path with node, the bin and the file, all absolute", async () => {
  for (const [client, key, linux, darwin, type] of LAYOUTS)
    for (const [platform, relative] of [
      ["linux", linux],
      ["darwin", darwin],
    ] as const) {
      const home = tempHome();
      const result = await install([client, fixture("exported.ts")], home, platform);
      assert.equal(result.code, 0, `${client} ${platform}: ${result.stderr}`);
      const path = join(home, relative);
      assert.ok(existsSync(path), `${client} ${platform}: ${path} written`);
      assert.equal(statSync(path).mode & 0o777, 0o600, "a new file is private: env may hold keys");
      const config = readJson(path);
      assert.deepEqual(Object.keys(config), [key]);
      const entry = config[key]["cli-exported"];
      assert.equal(entry.type, type, `${client}: type`);
      assert.equal(entry.command, process.execPath);
      assert.deepEqual(entry.args, [...TSX, CLI, "run", fixture("exported.ts")]);
      assert.equal(entry.env, undefined, "no env given: none written");
      assert.match(
        result.stderr,
        new RegExp(`Added "cli-exported" in .*: ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      );
      assert.equal(result.stdout, "");
    }
});

test("Linux: Claude Desktop and VS Code follow XDG_CONFIG_HOME, as Electron does", async () => {
  const home = tempHome();
  const xdg = join(home, "xdg");
  for (const client of ["claude-desktop", "vscode"]) {
    const result = await install([client, fixture("exported.ts")], home, "linux", {
      XDG_CONFIG_HOME: xdg,
    });
    assert.equal(result.code, 0, result.stderr);
  }
  assert.ok(existsSync(join(xdg, "Claude/claude_desktop_config.json")));
  assert.ok(existsSync(join(xdg, "Code/User/mcp.json")));
  assert.ok(!existsSync(join(home, ".config")));
});

test("an existing config is merged: other servers and settings stay, the new entry is added beside them", async () => {
  const home = tempHome();
  const path = join(home, ".claude.json");
  const before = {
    numStartups: 12,
    projects: { "/some/project": { mcpServers: { local: { command: "x" } } } },
    mcpServers: { weather: { type: "stdio", command: "uvx", args: ["weather-mcp"] } },
  };
  writeJson(path, before);
  const result = await install(["claude-code", fixture("exported.ts")], home);
  assert.equal(result.code, 0, result.stderr);
  const after = readJson(path);
  assert.equal(after.numStartups, 12);
  assert.deepEqual(after.projects, before.projects);
  assert.deepEqual(Object.keys(after.mcpServers), ["weather", "cli-exported"]);
  assert.deepEqual(after.mcpServers.weather, before.mcpServers.weather);

  // VS Code's other top-level key (inputs) stays too.
  const vscode = join(home, ".config/Code/User/mcp.json");
  writeJson(vscode, {
    inputs: [{ id: "key", type: "promptString" }],
    servers: { a: { url: "u" } },
  });
  assert.equal((await install(["vscode", fixture("exported.ts")], home)).code, 0);
  const merged = readJson(vscode);
  assert.deepEqual(merged.inputs, [{ id: "key", type: "promptString" }]);
  assert.deepEqual(Object.keys(merged.servers), ["a", "cli-exported"]);
});

test("an entry of the same name is replaced in place, and stderr says so; --name picks the name", async () => {
  const home = tempHome();
  const path = join(home, ".cursor/mcp.json");
  writeJson(path, {
    mcpServers: {
      first: { command: "one" },
      mine: { command: "old", args: ["stale"], env: { OLD: "1" } },
      last: { command: "three" },
    },
  });
  const result = await install(["cursor", fixture("exported.ts"), "--name", "mine"], home);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Replaced the existing "mine" entry in Cursor's config/);
  const servers = readJson(path).mcpServers;
  assert.deepEqual(Object.keys(servers), ["first", "mine", "last"], "the entry keeps its place");
  assert.equal(servers.mine.command, process.execPath);
  assert.equal(servers.mine.env, undefined, "the old entry is replaced whole");
  assert.deepEqual(servers.first, { command: "one" });
});

test("a config that is not valid JSON is refused, named, and left untouched", async () => {
  const home = tempHome();
  const path = join(home, ".codeium/windsurf/mcp_config.json");
  mkdirSync(dirname(path), { recursive: true });
  const broken = '{ "mcpServers": { "a": { "command": "x" } ';
  writeFileSync(path, broken);
  const result = await install(["windsurf", fixture("exported.ts")], home);
  assert.equal(result.code, 1);
  assert.match(result.stderr, new RegExp(`${path.replace(/[.]/g, "\\.")} is not valid JSON`));
  assert.equal(readFileSync(path, "utf8"), broken);

  const notObject = join(home, ".cursor/mcp.json");
  writeJson(notObject, { mcpServers: ["a list"] });
  const wrongShape = await install(["cursor", fixture("exported.ts")], home);
  assert.equal(wrongShape.code, 1);
  assert.match(wrongShape.stderr, /"mcpServers" is not an object/);
});

test("VS Code's mcp.json with comments (JSONC) is left as it is, and the entry to paste goes to stdout", async () => {
  const home = tempHome();
  const path = join(home, "Library/Application Support/Code/User/mcp.json");
  const jsonc = `{
  // my servers
  "servers": {
    "a": { "url": "https://example.com/mcp" }, /* the remote one */
  },
}
`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, jsonc);
  const result = await install(["vscode", fixture("exported.ts")], home, "darwin");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /has comments or trailing commas \(JSONC\)/);
  assert.equal(readFileSync(path, "utf8"), jsonc, "comments kept: nothing written");
  const paste = JSON.parse(result.stdout);
  assert.equal(paste.servers["cli-exported"].type, "stdio");
});

test("mcp-json prints a generic entry on stdout (what the file prints goes to stderr); --env-file and --env fill env", async () => {
  const home = tempHome();
  const envFile = join(home, "server.env");
  writeFileSync(envFile, '# keys\nAPI_KEY=from-file\nREGION=eu\nQUOTED="a b"\n');
  const result = await install(
    [
      "mcp-json",
      `${fixture("exported.ts")}:mcp`,
      "--env-file",
      envFile,
      "-e",
      "REGION=us",
      "--env",
      "EMPTY=",
    ],
    home,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /printed while loading/);
  const printed = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(printed), ["mcpServers"]);
  const entry = printed.mcpServers["cli-exported"];
  assert.deepEqual(Object.keys(entry), ["command", "args", "env"]);
  assert.deepEqual(entry.args.slice(-2), ["run", `${fixture("exported.ts")}:mcp`]);
  assert.deepEqual(entry.env, { API_KEY: "from-file", REGION: "us", QUOTED: "a b", EMPTY: "" });
  assert.deepEqual(readdirSync(home), ["server.env"], "mcp-json writes no file");
});

test("errors: nothing is written when the file fails to load or has no server, or an argument is wrong", async () => {
  const home = tempHome();
  const cases: [string[], number, RegExp][] = [
    [["claude-desktop", fixture("no-server.ts")], 2, /exports no FastMCP server/],
    [["claude-desktop", fixture("broken.ts")], 1, /broken\.ts failed to load/],
    [["claude-desktop", fixture("missing.ts")], 2, /No such file: .*missing\.ts/],
    [
      ["zed", fixture("exported.ts")],
      2,
      /Unknown client "zed"\. Clients: claude-desktop, claude-code, cursor, vscode, windsurf/,
    ],
    [["cursor", fixture("exported.ts"), "--env", "NOEQUALS"], 2, /--env takes KEY=VALUE/],
    [["cursor", fixture("exported.ts"), "--env", "1X=y"], 2, /--env takes KEY=VALUE/],
    // (A missing --env-file is not here: Node 20 itself reads that flag anywhere in argv and
    // exits with 9 when the file is missing, before the command runs.)
    [["cursor"], 2, /Which client and file\?/],
  ];
  for (const [args, code, message] of cases) {
    const result = await install(args, home);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
  }
  assert.deepEqual(readdirSync(home), [], "nothing written");
  const windows = await install(["cursor", fixture("exported.ts")], home, "win32");
  assert.equal(windows.code, 1);
  assert.match(windows.stderr, /on macOS and Linux, not on win32: run fastmcp-ts install mcp-json/);
});

test("the written entry works: its exact command, args and env start the server from / with no PATH, and the v1 client lists and calls", async () => {
  const home = tempHome();
  const result = await install(
    ["claude-desktop", fixture("greeter.ts"), "--env", "GREETING=hello from the entry"],
    home,
    "darwin",
  );
  assert.equal(result.code, 0, result.stderr);
  const config = readJson(
    join(home, "Library/Application Support/Claude/claude_desktop_config.json"),
  );
  const entry = config.mcpServers["cli-greeter"];
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    // The SDK adds HOME, PATH and the like, as desktop clients do; PATH here finds nothing.
    env: { ...entry.env, PATH: "/nonexistent" },
    cwd: "/",
    stderr: "pipe",
  });
  const client = new Client({ name: "install-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ["greet"],
    );
    const greeting = await client.callTool({ name: "greet", arguments: {} });
    assert.deepEqual(greeting.content, [{ type: "text", text: "hello from the entry (cwd /)" }]);
  } finally {
    await client.close();
  }
});

test("a symlinked config (dotfiles) is written where the link points, and keeps its mode", async () => {
  const home = tempHome();
  const real = join(home, "dotfiles/cursor-mcp.json");
  writeJson(real, { mcpServers: { kept: { command: "k" } } });
  chmodSync(real, 0o644);
  mkdirSync(join(home, ".cursor"));
  symlinkSync(real, join(home, ".cursor/mcp.json"));
  const result = await install(["cursor", fixture("exported.ts")], home);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(lstatSync(join(home, ".cursor/mcp.json")).isSymbolicLink(), "the link stays a link");
  assert.deepEqual(Object.keys(readJson(real).mcpServers), ["kept", "cli-exported"]);
  assert.equal(statSync(real).mode & 0o777, 0o644);
});
