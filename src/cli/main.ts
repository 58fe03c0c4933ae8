import { createRequire } from "node:module";
import { callCommand } from "./call.js";
import { type CliIO, type Command, parseCommandArgs } from "./command.js";
import { devCommand } from "./dev.js";
import { doctorCommand } from "./doctor.js";
import { CliError, EXIT } from "./errors.js";
import { inspectCommand } from "./inspect.js";
import { installCommand } from "./install.js";
import { runCommand } from "./run.js";

/** Every subcommand, in the order `--help` lists them. */
const COMMANDS: readonly Command[] = [
  runCommand,
  devCommand,
  inspectCommand,
  callCommand,
  installCommand,
  doctorCommand,
];

function version(): string {
  // src/cli/ and dist/cli/ are both two folders below the package's root.
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: fastmcp-ts <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Options:
  -h, --help     help for fastmcp-ts, or for a command (fastmcp-ts run --help)
  -v, --version  the version

Exit codes: 0 done, 1 the server or the operation failed, 2 the command was used wrongly.`;
}

/**
 * The `fastmcp-ts` command: picks the subcommand, parses its flags, runs
 * it. Returns the exit code; a `CliError` is one line on stderr, anything
 * else is a bug and keeps its stack.
 */
export async function main(args: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    (name === undefined ? io.err : io.out)(`${overview()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "-v" || name === "--version") {
    io.out(`${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined)
      throw new CliError(
        `Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(", ")} (fastmcp-ts --help)`,
        EXIT.usage,
      );
    const parsed = parseCommandArgs(command, rest);
    if (parsed.values.help === true) {
      io.out(`${command.help}\n`);
      return EXIT.ok;
    }
    return await command.run(parsed, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.err(`fastmcp-ts: ${error.message}\n`);
    return error.exitCode;
  }
}
