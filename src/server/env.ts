import {
  LOG_LEVEL_WORDS,
  type LogFormat,
  type LogLevelName,
  parseLogFormat,
  parseLogLevel,
} from "../logger.js";
import { suggest } from "../util/known-keys.js";

/**
 * Settings from `FASTMCP_*` environment variables, so a container runs
 * `node server.js` configured the way it runs anything else. Options given in
 * code win over them, and the command's flags over both. Read where they
 * apply: the logger's and requestState's at construction, the serving ones
 * in `run()` (not in `nodeHandler()` or `fetch`, whose application owns its
 * routes and configuration).
 */

/** One variable, as docs/cli.md's table lists it (a test keeps the two in step). */
export interface EnvSetting {
  readonly name: string;
  /** The option it stands for. */
  readonly option: string;
}

export const ENV_SETTINGS: readonly EnvSetting[] = [
  { name: "FASTMCP_TRANSPORT", option: "run({ transport })" },
  { name: "FASTMCP_HOST", option: "run({ host })" },
  { name: "FASTMCP_PORT", option: "run({ port })" },
  { name: "FASTMCP_PATH", option: "streamableHttpPath" },
  { name: "FASTMCP_STATELESS_HTTP", option: "statelessHttp" },
  { name: "FASTMCP_JSON_RESPONSE", option: "jsonResponse" },
  { name: "FASTMCP_ALLOWED_HOSTS", option: "http.allowedHosts" },
  { name: "FASTMCP_ALLOWED_ORIGINS", option: "http.allowedOrigins" },
  { name: "FASTMCP_CORS", option: "http.cors" },
  { name: "FASTMCP_HEALTH", option: "run({ health })" },
  { name: "FASTMCP_HEALTH_PATH", option: "run({ health: { path } })" },
  { name: "FASTMCP_READY_PATH", option: "run({ health: { readyPath } })" },
  { name: "FASTMCP_ACCESS_LOG", option: "run({ accessLog })" },
  { name: "FASTMCP_SHUTDOWN_TIMEOUT_MS", option: "run({ shutdownTimeoutMs })" },
  { name: "FASTMCP_WORKERS", option: "run({ workers })" },
  { name: "FASTMCP_LOG_LEVEL", option: "logLevel" },
  { name: "FASTMCP_LOG_FORMAT", option: "logFormat" },
  { name: "FASTMCP_MASK_ERROR_DETAILS", option: "maskErrorDetails" },
  { name: "FASTMCP_REQUEST_STATE_SECRET", option: "requestStateSecret" },
];

/**
 * Variables the `fastmcp-ts` command reads for itself (docs/cli.md: install,
 * dev), not server settings: known, so never warned about.
 */
export const COMMAND_ENV_VARS: readonly string[] = [
  "FASTMCP_PLATFORM",
  "FASTMCP_INSPECTOR_COMMAND",
  // Set by the primary of run({ workers }) in each worker it forks (src/serving/workers.ts).
  "FASTMCP_WORKER_PORT",
];

const KNOWN = new Set([...ENV_SETTINGS.map((setting) => setting.name), ...COMMAND_ENV_VARS]);

/** A variable set to something its setting cannot take; the message names both. */
export class EnvSettingError extends TypeError {
  constructor(name: string, expected: string, value: string) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    super(`${name} must be ${expected}, got ${JSON.stringify(shown)}`);
    this.name = "EnvSettingError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The process's environment, where the runtime has one (not in Workers). */
export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/** An environment variable, where the runtime has them (not in Workers). */
export function envVar(name: string): string | undefined {
  return processEnv()[name];
}

/** A set variable's value, trimmed; empty counts as unset (`FOO=` in a compose file). */
function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

function bool(env: Env, name: string): boolean | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new EnvSettingError(name, "true or false (or 1/0, yes/no, on/off)", value);
}

function list(env: Env, name: string): string[] | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function path(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value === undefined || value.startsWith("/")) return value;
  throw new EnvSettingError(name, "a path starting with /", value);
}

function integer(env: Env, name: string, min: number, max: number, what: string) {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    throw new EnvSettingError(name, what, value);
  return number;
}

/** The settings a server reads at construction. */
export interface ServerEnv {
  readonly logLevel: LogLevelName | undefined;
  readonly logFormat: LogFormat | undefined;
  readonly maskErrorDetails: boolean | undefined;
  readonly requestStateSecret: string | undefined;
}

export function readServerEnv(env: Env = processEnv()): ServerEnv {
  const level = raw(env, "FASTMCP_LOG_LEVEL");
  const logLevel = parseLogLevel(level);
  if (level !== undefined && logLevel === undefined)
    throw new EnvSettingError("FASTMCP_LOG_LEVEL", `one of ${LOG_LEVEL_WORDS}`, level);
  const format = raw(env, "FASTMCP_LOG_FORMAT");
  const logFormat = parseLogFormat(format);
  if (format !== undefined && logFormat === undefined)
    throw new EnvSettingError("FASTMCP_LOG_FORMAT", "human or json", format);
  return {
    logLevel,
    logFormat,
    maskErrorDetails: bool(env, "FASTMCP_MASK_ERROR_DETAILS"),
    // Not trimmed: a secret is what it is, spaces included.
    requestStateSecret: env.FASTMCP_REQUEST_STATE_SECRET || undefined,
  };
}

export const ENV_TRANSPORTS = ["stdio", "streamable-http", "http", "sse"] as const;

/** The settings `run()` reads; each undefined when its variable is unset. */
export interface RunEnv {
  readonly transport: (typeof ENV_TRANSPORTS)[number] | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly path: string | undefined;
  readonly statelessHttp: boolean | undefined;
  readonly jsonResponse: boolean | undefined;
  readonly allowedHosts: string[] | undefined;
  readonly allowedOrigins: string[] | "*" | undefined;
  readonly cors: boolean | { origin: string[] } | undefined;
  readonly health: boolean | { path?: string; readyPath?: string } | undefined;
  readonly accessLog: boolean | undefined;
  readonly shutdownTimeoutMs: number | undefined;
  readonly workers: number | undefined;
}

/** Reads and checks every serving variable; throws `EnvSettingError` for the first bad one. */
export function readRunEnv(env: Env = processEnv()): RunEnv {
  const transport = raw(env, "FASTMCP_TRANSPORT");
  if (transport !== undefined && !(ENV_TRANSPORTS as readonly string[]).includes(transport))
    throw new EnvSettingError(
      "FASTMCP_TRANSPORT",
      `one of ${ENV_TRANSPORTS.join(", ")}`,
      transport,
    );
  const origins = list(env, "FASTMCP_ALLOWED_ORIGINS");
  return {
    transport: transport as RunEnv["transport"],
    host: raw(env, "FASTMCP_HOST"),
    port: integer(env, "FASTMCP_PORT", 0, 65535, "a port number from 0 to 65535"),
    path: path(env, "FASTMCP_PATH"),
    statelessHttp: bool(env, "FASTMCP_STATELESS_HTTP"),
    jsonResponse: bool(env, "FASTMCP_JSON_RESPONSE"),
    allowedHosts: list(env, "FASTMCP_ALLOWED_HOSTS"),
    allowedOrigins: origins?.includes("*") ? "*" : origins,
    cors: cors(env),
    health: health(env),
    accessLog: bool(env, "FASTMCP_ACCESS_LOG"),
    shutdownTimeoutMs: integer(
      env,
      "FASTMCP_SHUTDOWN_TIMEOUT_MS",
      0,
      2 ** 31 - 1,
      "a whole number of milliseconds",
    ),
    workers: integer(env, "FASTMCP_WORKERS", 1, 1024, "a whole number from 1 to 1024"),
  };
}

/** `true`/`false`, `*` (every origin), or the origins allowed, comma-separated. */
function cors(env: Env): RunEnv["cors"] {
  const value = raw(env, "FASTMCP_CORS");
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (TRUE.has(lower) || value === "*") return true;
  if (FALSE.has(lower)) return false;
  const origins = list(env, "FASTMCP_CORS") ?? [];
  const bad = origins.find((origin) => !/^https?:\/\/[^/\s]+$/i.test(origin));
  if (bad !== undefined)
    throw new EnvSettingError(
      "FASTMCP_CORS",
      "true, false, * or origins such as https://app.example.com, comma-separated",
      value,
    );
  return { origin: origins };
}

/** A path turns health on; FASTMCP_HEALTH=false turns it off whatever else is set. */
function health(env: Env): RunEnv["health"] {
  const on = bool(env, "FASTMCP_HEALTH");
  const livePath = path(env, "FASTMCP_HEALTH_PATH");
  const readyPath = path(env, "FASTMCP_READY_PATH");
  if (on === false) return false;
  if (livePath === undefined && readyPath === undefined) return on;
  const paths: { path?: string; readyPath?: string } = {};
  if (livePath !== undefined) paths.path = livePath;
  if (readyPath !== undefined) paths.readyPath = readyPath;
  return paths;
}

/**
 * `FASTMCP_*` variables that are none of ours, each with the closest known
 * name. Warned about, not refused: Python FastMCP reads the same prefix
 * (`FASTMCP_DEBUG`, `FASTMCP_SERVER_AUTH`, ...), and a shared environment or
 * .env file must not stop this server.
 */
export function unknownEnvVars(
  env: Env = processEnv(),
): { name: string; suggestion: string | undefined }[] {
  const found: { name: string; suggestion: string | undefined }[] = [];
  const suffixes = ENV_SETTINGS.map((setting) => setting.name.slice(8).replaceAll("_", ""));
  for (const name of Object.keys(env)) {
    if (!name.startsWith("FASTMCP_") || KNOWN.has(name)) continue;
    // Python FastMCP's former prefix, FASTMCP_SERVER_HOST for FASTMCP_HOST.
    const suffix = name.slice(8).replace(/^SERVER_/, "");
    const match = suggest(suffix.replaceAll("_", ""), suffixes, PYTHON_NAMES);
    found.push({
      name,
      suggestion: match === undefined ? undefined : ENV_SETTINGS[suffixes.indexOf(match)]?.name,
    });
  }
  return found;
}

/** Python FastMCP's names for settings that have another name here. */
const PYTHON_NAMES = { STREAMABLEHTTPPATH: "PATH", STATELESS: "STATELESSHTTP" };

/** Warns once per process, however many servers run in it. */
const WARNED = Symbol.for("fastmcp-ts.env.warned");

export function warnUnknownEnvVars(warn: (message: string) => void, env: Env = processEnv()): void {
  const global = globalThis as Record<symbol, Set<string> | undefined>;
  global[WARNED] ??= new Set();
  const warned = global[WARNED];
  for (const { name, suggestion } of unknownEnvVars(env)) {
    if (warned.has(name)) continue;
    warned.add(name);
    warn(
      `${name} is not a fastmcp-ts setting, so it is ignored${suggestion === undefined ? "" : `; did you mean ${suggestion}?`} (the settings: docs/cli.md, Production serving)`,
    );
  }
}
