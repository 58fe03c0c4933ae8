/**
 * The server's own diagnostics. Never stdout: the stdio transport owns it.
 * Pass your own (pino, winston, ...) as the `logger` option.
 */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export type LogLevelName = "debug" | "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

export function parseLogLevel(value: string | undefined): LogLevelName | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  const name = lower === "warning" ? "warn" : lower === "critical" ? "error" : lower;
  return Object.hasOwn(RANK, name) ? (name as LogLevelName) : undefined;
}

/** Writes to stderr (console.error), prefixed with the server's name and the level. */
export function stderrLogger(name: string, level: LogLevelName = "info"): Logger {
  const min = RANK[level];
  const write =
    (at: Exclude<LogLevelName, "silent">) =>
    (message: string, ...details: unknown[]) => {
      if (RANK[at] >= min) console.error(`[${name}] ${at.toUpperCase()} ${message}`, ...details);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
