/**
 * A failure the command explains in one line (what happened, what to do
 * next) and exits with `exitCode`, without a stack: the user's mistake, not
 * the command's bug.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** The server failed, or the thing asked of it did (a tool error, a failed check). */
  failure: 1,
  /** The command was used wrongly: unknown command or flag, bad arguments, missing file. */
  usage: 2,
} as const;
