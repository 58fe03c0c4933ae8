import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError, EXIT } from "./errors.js";

/** Where a command writes: stdout for its answer, stderr for everything else. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** One subcommand of `fastmcp-ts`. */
export interface Command {
  readonly name: string;
  /** One line for `fastmcp-ts --help`. */
  readonly summary: string;
  /** The whole `--help` text of the command. */
  readonly help: string;
  readonly options: OptionSpecs;
  run(parsed: Parsed, io: CliIO): Promise<number>;
}

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses a command's arguments strictly: an unknown flag is an error naming it and the help. */
export function parseCommandArgs(command: Command, args: readonly string[]): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    throw new CliError(
      `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, "")}\nRun fastmcp-ts ${command.name} --help for its options.`,
      EXIT.usage,
    );
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A port: an integer from 0 to 65535. */
export function portFlag(parsed: Parsed, name = "port"): number | undefined {
  const value = stringFlag(parsed, name);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(
      `--${name} must be a port number from 0 to 65535, not "${value}"`,
      EXIT.usage,
    );
  return port;
}
