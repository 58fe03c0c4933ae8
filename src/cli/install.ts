import { Console } from "node:console";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as util from "node:util";
import { CLIENTS, clientPlace, findClient, plainEntry, type StdioEntry } from "./clients.js";
import { type CliIO, type Command, type Parsed, stringFlag } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { CommentedConfigError, mergeEntry, readConfig, writeConfig } from "./json-config.js";
import { loadServer, parseFileSpec } from "./load.js";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const installCommand: Command = {
  name: "install",
  summary: "add a server file to Claude Desktop, Claude Code, Cursor, VS Code or Windsurf",
  help: `Usage: fastmcp-ts install <client> <file>[:export] [options]
       fastmcp-ts install mcp-json <file>[:export] [options]

Writes the entry that makes an MCP client start the server over stdio
through fastmcp-ts run, with absolute paths to node, fastmcp-ts and the
file: desktop apps start servers without your shell's PATH or folder.
The client's config is merged, not overwritten: other servers and settings
stay; an entry of the same name is replaced. mcp-json prints a generic
{ "mcpServers": { ... } } entry on stdout instead of writing a file.

Clients: ${CLIENTS.map((client) => client.id).join(", ")}

Options:
  -n, --name <name>       the entry's name (default: the server's name)
  -e, --env <KEY=VALUE>   a variable for the server's environment (repeatable)
  --env-file <file>       variables from a .env file (--env wins over it)
  -h, --help              this text

The file is loaded once to read the server's name: a file that fails to
load, or defines no server, is an error and nothing is written.`,
  options: {
    name: { type: "string", short: "n" },
    env: { type: "string", short: "e", multiple: true },
    "env-file": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  async run(parsed, io) {
    const [clientName, spec, ...extra] = parsed.positionals;
    if (clientName === undefined || spec === undefined)
      throw new CliError(
        `Which client and file? fastmcp-ts install <client> <file>[:export] (clients: ${CLIENTS.map((c) => c.id).join(", ")}, mcp-json)`,
        EXIT.usage,
      );
    if (extra.length > 0)
      throw new CliError(`Unexpected arguments: ${extra.join(" ")}`, EXIT.usage);
    // Every argument is checked before the file loads.
    const client = clientName === "mcp-json" ? undefined : findClient(clientName);
    const place = client === undefined ? undefined : clientPlace(io.env);
    const env = entryEnv(parsed, io.cwd);
    const { file, exportName } = parseFileSpec(spec);
    const path = resolve(io.cwd, file);
    const serverName = await loadName(spec, io);
    const name = stringFlag(parsed, "name") ?? serverName;
    if (name.trim() === "") throw new CliError("--name must not be empty", EXIT.usage);
    const entry = stdioEntry(exportName === undefined ? path : `${path}:${exportName}`, env, io);

    if (client === undefined || place === undefined) {
      io.out(`${JSON.stringify({ mcpServers: { [name]: plainEntry(entry) } }, null, 2)}\n`);
      return EXIT.ok;
    }
    const configPath = client.path(place);
    let config: Record<string, unknown>;
    try {
      config = readConfig(configPath);
    } catch (error) {
      // The entry goes to stdout, so the user can paste what was not written.
      if (error instanceof CommentedConfigError)
        io.out(`${JSON.stringify({ [client.key]: { [name]: client.entry(entry) } }, null, 2)}\n`);
      throw error;
    }
    const replaced = mergeEntry(config, client.key, name, client.entry(entry), configPath);
    writeConfig(configPath, config);
    io.err(
      `${replaced ? `Replaced the existing "${name}" entry` : `Added "${name}"`} in ${client.title}'s config: ${configPath}\n${client.next}\n`,
    );
    return EXIT.ok;
  },
};

/** `--env-file` first, then each `--env` on top: what is given by hand wins. */
function entryEnv(parsed: Parsed, cwd: string): Record<string, string> {
  const env: Record<string, string> = {};
  const envFile = stringFlag(parsed, "env-file");
  if (envFile !== undefined) Object.assign(env, readEnvFile(resolve(cwd, envFile)));
  for (const pair of (parsed.values.env as string[] | undefined) ?? []) {
    const equals = pair.indexOf("=");
    const key = equals === -1 ? pair : pair.slice(0, equals);
    if (equals === -1 || !ENV_NAME.test(key))
      throw new CliError(
        `--env takes KEY=VALUE with KEY a variable name, not "${pair}"`,
        EXIT.usage,
      );
    env[key] = pair.slice(equals + 1);
  }
  return env;
}

/** A .env file's variables, read into the entry and not into this process. */
function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) throw new CliError(`--env-file: no such file: ${path}`, EXIT.usage);
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (parseEnv === undefined)
    throw new CliError("--env-file needs Node.js 20.12 or newer (util.parseEnv)", EXIT.usage);
  return { ...parseEnv(readFileSync(path, "utf8")) };
}

/**
 * Loads the file to learn its server's name, and to fail before anything is
 * written when it has none. Whatever the file prints while loading goes to
 * stderr: `install mcp-json`'s stdout is the entry alone.
 */
async function loadName(spec: string, io: CliIO): Promise<string> {
  const write = process.stdout.write;
  const savedConsole = globalThis.console;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof write;
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  try {
    const loaded = await loadServer(spec, io.cwd);
    loaded.release();
    return loaded.server.name;
  } finally {
    process.stdout.write = write;
    globalThis.console = savedConsole;
  }
}

/**
 * `node <fastmcp-ts bin> run <file>`, every path absolute. The bin is the
 * script this process runs (a `node_modules/.bin` link resolved to the
 * package's file). Run from its TypeScript source, node needs tsx to load
 * it; a TypeScript server file needs nothing here: `run` loads tsx itself.
 */
function stdioEntry(fileSpec: string, env: Record<string, string>, io: CliIO): StdioEntry {
  const script = process.argv[1];
  if (script === undefined || !existsSync(script))
    throw new CliError("Cannot tell where the fastmcp-ts command is installed", EXIT.failure);
  const bin = realpathSync(script);
  const args: string[] = [];
  if (TYPESCRIPT.has(extname(bin)))
    args.push("--import", pathToFileURL(createRequire(bin).resolve("tsx")).href);
  args.push(bin, "run", fileSpec);
  if (bin.split(/[\\/]/).includes("_npx"))
    io.err(
      `Warning: this fastmcp-ts runs from npx's cache (${bin}), which npm may clear; install it in the project (npm install fastmcp-ts) and run install from there for an entry that lasts.\n`,
    );
  return { command: process.execPath, args, env };
}
