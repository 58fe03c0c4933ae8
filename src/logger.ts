/**
 * The server's own diagnostics. Never stdout: the stdio transport owns it.
 * Pass your own (pino, winston, ...) as the `logger` option.
 *
 * A detail that is a plain object is a set of fields: the JSON format puts
 * them on the line (`{"msg": ..., "status": 200}`), the human one writes
 * them as `key=value`. Errors keep their name, message and stack.
 */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export type LogLevelName = "debug" | "info" | "warn" | "error" | "silent";

/** `human`: `[name] LEVEL message`, for a terminal. `json`: one JSON object per line, for collectors. */
export type LogFormat = "human" | "json";

export const LOG_FORMATS: readonly LogFormat[] = ["human", "json"];

const RANK: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** The level names accepted from people (the MCP and syslog ones too), for messages. */
export const LOG_LEVEL_WORDS =
  "debug, info, notice, warning, error, critical, alert, emergency, silent";

/**
 * MCP's and syslog's eight levels, Python's names, mapped onto ours. `notice`
 * sits between info and warning, so the level that hides info is the one
 * that keeps it.
 */
const ALIASES: ReadonlyMap<string, LogLevelName> = new Map([
  ["warning", "warn"],
  ["notice", "warn"],
  ["critical", "error"],
  ["alert", "error"],
  ["emergency", "error"],
]);

export function parseLogLevel(value: string | undefined): LogLevelName | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  const name = ALIASES.get(lower) ?? lower;
  return Object.hasOwn(RANK, name) ? (name as LogLevelName) : undefined;
}

export function parseLogFormat(value: string | undefined): LogFormat | undefined {
  const lower = value?.toLowerCase();
  return lower === "human" || lower === "json" ? lower : undefined;
}

/**
 * A fields object whose content the message already says: the human format
 * leaves it out (the access line), JSON and other loggers still get it. A
 * symbol, so `Object.keys` and `JSON.stringify` never see it.
 */
export const SAID_IN_MESSAGE: unique symbol = Symbol.for("fastmcp-ts.log.said-in-message");

/**
 * Where the built-in logger keeps its level and format, so `run()` and the
 * command can change them without replacing the logger (the server handed
 * it out at construction). A global symbol: the command and a server file may
 * load two copies of this module.
 */
const CONFIG = Symbol.for("fastmcp-ts.logger.config");

interface LoggerConfig {
  level: LogLevelName;
  format: LogFormat;
}

type ConfigurableLogger = Logger & { readonly [CONFIG]?: LoggerConfig };

/** Writes to stderr at `level` or above: `[name] LEVEL message`, or JSON lines. */
export function stderrLogger(
  name: string,
  level: LogLevelName = "info",
  format: LogFormat = "human",
): Logger {
  const config: LoggerConfig = { level, format };
  const write =
    (at: Exclude<LogLevelName, "silent">) =>
    (message: string, ...details: unknown[]) => {
      if (RANK[at] < RANK[config.level]) return;
      // Warnings and errors leave at once (a crash may follow); the rest in batches.
      const urgent = RANK[at] >= RANK.warn;
      if (config.format === "json") writeLine(jsonLine(name, at, message, details), urgent);
      else writeHuman(name, at, message, details, urgent);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    [CONFIG]: config,
  } as ConfigurableLogger;
}

/**
 * Changes the built-in logger's level or format; returns false for a logger
 * of the user's own, which keeps its configuration.
 */
export function configureLogger(
  logger: Logger,
  change: { level?: LogLevelName | undefined; format?: LogFormat | undefined },
): boolean {
  const config = (logger as ConfigurableLogger)[CONFIG];
  if (config === undefined) return false;
  if (change.level !== undefined) config.level = change.level;
  if (change.format !== undefined) config.format = change.format;
  return true;
}

/**
 * Whether a message at `level` would be written: false only when the
 * built-in logger is set above it. A logger of the user's own filters by
 * itself, so it is asked.
 */
export function logsAt(logger: Logger, level: Exclude<LogLevelName, "silent">): boolean {
  const config = (logger as ConfigurableLogger)[CONFIG];
  return config === undefined || RANK[level] >= RANK[config.level];
}

function isFields(value: unknown): value is Record<string | symbol, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function writeHuman(
  name: string,
  at: string,
  message: string,
  details: unknown[],
  urgent: boolean,
): void {
  let text = `[${name}] ${at.toUpperCase()} ${message}`;
  let rest: unknown[] | undefined;
  for (const detail of details) {
    if (!isFields(detail)) {
      rest ??= [];
      rest.push(detail);
    } else if (detail[SAID_IN_MESSAGE] !== true) text += keyValues(detail);
  }
  if (rest === undefined) {
    writeLine(`${text}\n`, urgent);
    return;
  }
  // Errors and other objects as the console shows them (a stack, nested values).
  flushLines();
  console.error(text, ...rest);
}

/** ` key=value key="two words"`: logfmt, which people read and tools parse. */
function keyValues(fields: Record<string, unknown>): string {
  let text = "";
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    const shown =
      typeof value === "string"
        ? /^[^\s"=]+$/.test(value)
          ? value
          : JSON.stringify(value)
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : safeJson(value);
    text += ` ${key}=${shown}`;
  }
  return text;
}

/** Keys a fields object may not take over. */
const RESERVED = ["time", "level", "server", "msg"] as const;

/**
 * `{"time","level","server","msg",...fields,"error":{name,message,stack}}` and
 * a newline. Written as text around one `JSON.stringify` per fields object:
 * an access line costs about a microsecond, not the four a merged object took.
 */
export function jsonLine(name: string, at: string, message: string, details: unknown[]): string {
  let line = `{"time":"${new Date().toISOString()}","level":"${at}","server":${safeJson(name)},"msg":${safeJson(message)}`;
  let error = false;
  let others: unknown[] | undefined;
  for (const detail of details) {
    if (detail instanceof Error && !error) {
      error = true;
      line += `,"error":${safeJson(errorFields(detail, 0))}`;
    } else if (isFields(detail)) {
      const fields = RESERVED.some((key) => Object.hasOwn(detail, key))
        ? withoutReserved(detail)
        : detail;
      const text = safeJson(fields);
      if (text.length > 2) line += `,${text.slice(1, -1)}`;
    } else {
      others ??= [];
      others.push(detail instanceof Error ? errorFields(detail, 0) : detail);
    }
  }
  if (others !== undefined) line += `,"details":${safeJson(others)}`;
  return `${line}}\n`;
}

function withoutReserved(fields: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...fields };
  for (const key of RESERVED) delete copy[key];
  return copy;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A detail with a cycle or a BigInt: never lose the line for it.
    return JSON.stringify(value, safeReplacer()) ?? String(value);
  }
}

interface Stderr {
  write(text: string): unknown;
}

interface MaybeProcess {
  stderr?: Partial<Stderr>;
  once?(event: "exit", listener: () => void): unknown;
}

/**
 * Lines waiting to leave together, at most FLUSH_MS later. Each write to
 * stderr is a system call (about 4 µs, more than the line costs to make);
 * flushed once per event-loop turn, writes still took half the access log's
 * cost at 8,000 requests a second. Flushed before any urgent line, so the
 * order holds, and on exit; a process killed outright loses at most FLUSH_MS.
 */
let pending = "";
let scheduled = false;
let exitHooked = false;
const FLUSH_AT = 64 * 1024;
const FLUSH_MS = 10;

function currentProcess(): MaybeProcess | undefined {
  return (globalThis as { process?: MaybeProcess }).process;
}

/** stderr where the runtime has one (Node, Bun, Deno), else undefined (Workers). */
function stderr(): Stderr | undefined {
  const stream = currentProcess()?.stderr;
  return typeof stream?.write === "function" ? (stream as Stderr) : undefined;
}

/** Writes a line to stderr, or to the console where there is none. */
function writeLine(line: string, urgent: boolean): void {
  const stream = stderr();
  if (stream === undefined) {
    console.error(line.slice(0, -1));
    return;
  }
  if (urgent || typeof setTimeout !== "function") {
    flushLines();
    stream.write(line);
    return;
  }
  pending += line;
  if (pending.length >= FLUSH_AT) {
    flushLines();
    return;
  }
  if (!scheduled) {
    scheduled = true;
    // Unref'd: a waiting line must not keep the process up (the exit hook writes it).
    (setTimeout(flushLines, FLUSH_MS) as { unref?: () => void }).unref?.();
  }
  if (!exitHooked) {
    exitHooked = true;
    currentProcess()?.once?.("exit", flushLines);
  }
}

function flushLines(): void {
  scheduled = false;
  if (pending === "") return;
  const text = pending;
  pending = "";
  stderr()?.write(text);
}

function errorFields(error: Error, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: error.name,
    message: error.message,
    stack: error.stack,
  };
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === "string" || typeof code === "number") fields.code = code;
  if (cause !== undefined && depth < 3)
    fields.cause = cause instanceof Error ? errorFields(cause, depth + 1) : String(cause);
  return fields;
}

function safeReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[Circular]";
      seen.add(value);
    }
    return value;
  };
}
