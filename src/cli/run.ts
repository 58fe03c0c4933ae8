import { Console } from "node:console";
import { Writable } from "node:stream";
import { configureLogger, LOG_LEVEL_WORDS, parseLogFormat, parseLogLevel } from "../logger.js";
import {
  EnvSettingError,
  type RunEnv,
  readRunEnv,
  readServerEnv,
  warnUnknownEnvVars,
} from "../server/env.js";
import { badWorkers, type HttpRunOptions, type RunOptions } from "../serving/run-options.js";
import { runStdio } from "../serving/stdio.js";
import { StdioServerTransport } from "../transports/stdio.js";
import { type Command, type Parsed, portFlag, stringFlag } from "./command.js";
import { loadEnvFile } from "./env-file.js";
import { CliError, EXIT } from "./errors.js";
import { loadServer } from "./load.js";

const TRANSPORTS = ["stdio", "streamable-http", "http", "sse"] as const;
type Transport = (typeof TRANSPORTS)[number];

export const runCommand: Command = {
  name: "run",
  summary: "run a server file (TypeScript or JavaScript) over stdio or HTTP",
  help: `Usage: fastmcp-ts run <file>[:export] [options]

Runs the FastMCP server a file defines, with no build step. The file exports
its server (default export, or mcp, server, app; or name it: server.ts:weather)
or calls mcp.run() itself; flags given here win over the file's run() options.

Options:
  --transport <t>     stdio (default), streamable-http (or http), sse
  --host <host>       HTTP: where to listen (default 127.0.0.1)
  --port <port>       HTTP: the port (default 8000; 0 picks a free one)
  --path <path>       HTTP: the MCP endpoint's path (default /mcp)
  --log-level <l>     debug, info, notice, warning, error, critical, alert, emergency, silent
  --log-format <f>    human (default) or json: one JSON object per line on stderr
  --stateless         HTTP: no sessions, every request stands alone
  --json-response     HTTP: answer with JSON instead of SSE streams
  --workers <n>       HTTP: serve from n processes on one port (node:cluster);
                      stateful serving then needs its state in Redis
  --env-file <file>   load environment variables from a .env file first
  -h, --help          this text

Over stdio, only protocol messages reach stdout: console.log and
process.stdout.write from the server's code go to stderr.

FASTMCP_* environment variables (FASTMCP_PORT, FASTMCP_LOG_FORMAT, ...) fill
what neither these flags nor the file's code set; docs/cli.md lists them.`,
  options: {
    transport: { type: "string", short: "t" },
    host: { type: "string" },
    port: { type: "string", short: "p" },
    path: { type: "string" },
    "log-level": { type: "string" },
    "log-format": { type: "string" },
    stateless: { type: "boolean" },
    "json-response": { type: "boolean" },
    workers: { type: "string" },
    "env-file": { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  },
  async run(parsed, io) {
    const [spec, ...extra] = parsed.positionals;
    if (spec === undefined)
      throw new CliError("Which file? fastmcp-ts run <file>[:export]", EXIT.usage);
    if (extra.length > 0)
      throw new CliError(`Unexpected arguments: ${extra.join(" ")}`, EXIT.usage);
    for (const file of (parsed.values["env-file"] as string[] | undefined) ?? [])
      loadEnvFile(file, io.cwd);
    // Every flag and variable is checked before the file loads (and perhaps starts things).
    const env = checkedEnv();
    const transport = transportFlag(parsed);
    const flags = httpFlags(parsed);
    // Before the file loads: its own console.log must not reach the protocol stream.
    const early = transport ?? env.transport;
    const protocolOut = early === "stdio" || early === undefined ? guardStdout() : undefined;
    const loaded = await loadServer(spec, io.cwd);
    try {
      const options = mergeRunOptions(loaded.fileRunOptions, transport ?? env.transport, flags);
      if (protocolOut !== undefined && (options.transport ?? "stdio") === "stdio") {
        const { server } = loaded;
        // What run() does for HTTP; the command serves stdio itself (its own stdout).
        configureLogger(server.logger, { level: options.logLevel, format: options.logFormat });
        warnUnknownEnvVars((message) => server.logger.warn(message));
        await runStdio(
          (stdio) => server.connect(stdio),
          () => server.close(),
          () =>
            io.err(
              `${server.name}: serving MCP over stdio; a client starts this command, a person rarely does\n`,
            ),
          new StdioServerTransport(process.stdin, protocolOut),
        );
      } else await loaded.server.run(options);
    } finally {
      loaded.release();
    }
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  },
};

/** The FASTMCP_* variables, checked: a bad one is the command's usage error, named. */
function checkedEnv(): RunEnv {
  try {
    readServerEnv();
    return readRunEnv();
  } catch (error) {
    if (error instanceof EnvSettingError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

function transportFlag(parsed: Parsed): Transport | undefined {
  const value = stringFlag(parsed, "transport");
  if (value === undefined) return undefined;
  if (!(TRANSPORTS as readonly string[]).includes(value))
    throw new CliError(
      `--transport must be one of ${TRANSPORTS.join(", ")}, not "${value}"`,
      EXIT.usage,
    );
  return value as Transport;
}

const kebab = (name: string) =>
  name === "statelessHttp" ? "stateless" : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** What the HTTP flags say, checked; applied only when the run is over HTTP. */
function httpFlags(parsed: Parsed): Partial<HttpRunOptions> {
  const flags: Partial<HttpRunOptions> = {};
  const host = stringFlag(parsed, "host");
  const port = portFlag(parsed);
  const path = stringFlag(parsed, "path");
  const level = stringFlag(parsed, "log-level");
  if (host !== undefined) flags.host = host;
  if (port !== undefined) flags.port = port;
  if (path !== undefined) flags.path = path;
  if (level !== undefined) {
    const logLevel = parseLogLevel(level);
    if (logLevel === undefined)
      throw new CliError(`--log-level "${level}" is not a level (${LOG_LEVEL_WORDS})`, EXIT.usage);
    flags.logLevel = logLevel;
  }
  const format = stringFlag(parsed, "log-format");
  if (format !== undefined) {
    const logFormat = parseLogFormat(format);
    if (logFormat === undefined)
      throw new CliError(`--log-format must be human or json, not "${format}"`, EXIT.usage);
    flags.logFormat = logFormat;
  }
  const workers = stringFlag(parsed, "workers");
  if (workers !== undefined) {
    const count = /^\d+$/.test(workers) ? Number(workers) : Number.NaN;
    const bad = badWorkers(count);
    if (bad !== undefined)
      throw new CliError(`--workers must be ${bad}, not "${workers}"`, EXIT.usage);
    flags.workers = count;
  }
  if (parsed.values.stateless === true) flags.statelessHttp = true;
  if (parsed.values["json-response"] === true) flags.jsonResponse = true;
  return flags;
}

/** The file's own run() options, with every flag given here on top. */
function mergeRunOptions(
  fromFile: RunOptions | undefined,
  transport: Transport | undefined,
  flags: Partial<HttpRunOptions>,
): RunOptions {
  const chosen = transport ?? fromFile?.transport ?? "stdio";
  if (chosen === "stdio") {
    const given = Object.keys(flags).filter((key) => key !== "logLevel" && key !== "logFormat");
    if (given.length > 0)
      throw new CliError(
        `--${given.map(kebab).join(", --")} ${given.length > 1 ? "apply" : "applies"} to HTTP; add --transport streamable-http`,
        EXIT.usage,
      );
    const file =
      fromFile?.transport === undefined || fromFile.transport === "stdio" ? fromFile : {};
    return {
      transport: "stdio",
      logLevel: flags.logLevel ?? file?.logLevel,
      logFormat: flags.logFormat ?? file?.logFormat,
    };
  }
  const base = fromFile?.transport === undefined || fromFile.transport === "stdio" ? {} : fromFile;
  return { ...base, ...flags, transport: chosen };
}

/**
 * Keeps stdout for protocol messages: console output and direct writes to
 * `process.stdout` go to stderr from now on. Returns a stream on the real
 * stdout, for the transport alone.
 */
function guardStdout(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  const protocol = new Writable({
    write(chunk, encoding, callback) {
      write(chunk, encoding, callback);
    },
  });
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  return protocol;
}
