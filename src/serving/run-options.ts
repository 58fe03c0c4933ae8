import type { LogFormat, LogLevelName } from "../logger.js";
import {
  checkHttpOptions,
  HTTP_OPTION_KEYS,
  type HttpOptions,
} from "../transports/http/settings.js";
import {
  checkKnownKeys,
  checkOptionsObject,
  describeValue,
  type KeyList,
} from "../util/known-keys.js";

/** `mcp.run()` over stdio (the default). */
export interface StdioRunOptions {
  transport?: "stdio";
  /** Level of the server's own diagnostics (stderr) for this run. */
  logLevel?: LogLevelName;
  /** Format of the server's own diagnostics for this run: "human" or "json" (one object per line). */
  logFormat?: LogFormat;
}

/** Liveness and readiness answers for probes, outside the MCP endpoint's rules. */
export interface HealthOptions {
  /** Liveness: 200 `{"status":"ok"}` while the process serves. Default "/healthz". */
  path?: string;
  /**
   * Readiness: 200 once the server has started and every state store with a
   * `ping()` answers; 503 naming the failing part otherwise, and from the
   * start of a shutdown. Default "/readyz".
   */
  readyPath?: string;
}

/** `mcp.run()` over Streamable HTTP: a node:http server with graceful shutdown. */
export interface HttpRunOptions extends HttpOptions {
  /**
   * `"sse"` is the Python guide's name for the 2024-11-05 HTTP+SSE transport:
   * it serves that transport (`/sse` and `/messages`) beside Streamable HTTP.
   */
  transport: "streamable-http" | "http" | "sse";
  /** Default "127.0.0.1". A loopback host turns on the Host allow-list (DNS rebinding guard). */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Overrides the `streamableHttpPath` option. */
  path?: string;
  /** Overrides the server's `statelessHttp` option for this run. */
  statelessHttp?: boolean;
  /** Overrides the server's `jsonResponse` option for this run. */
  jsonResponse?: boolean;
  /** Level of the server's own diagnostics for this run. */
  logLevel?: LogLevelName;
  /** Format of the server's own diagnostics for this run: "human" or "json" (one object per line). */
  logFormat?: LogFormat;
  /**
   * One line per HTTP request at info level (method, path, status, duration,
   * MCP method and target, session). Default true; off with false, or when
   * the log level is above info.
   */
  accessLog?: boolean;
  /** Serves `/healthz` (liveness) and `/readyz` (readiness) for probes. Default off. */
  health?: boolean | HealthOptions;
  /** How long shutdown waits for running requests before aborting them. Default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * Processes serving behind the one port, with node:cluster: the primary
   * forks them (each runs the same entry), restarts one that dies, and drains
   * them on SIGINT/SIGTERM. Default 1: this process serves. Above 1 in
   * stateful mode the state must be shared: `...redisState({ url })` from
   * fastmcp-ts/redis, or `statelessHttp: true`.
   */
  workers?: number;
  /**
   * Called once the server listens (the `signal` option stops it); with
   * `workers` above 1, once in the primary when every worker listens.
   */
  onListening?: (info: { url: string; port: number }) => void;
  /** Stops the server, as SIGINT/SIGTERM do. */
  signal?: AbortSignal;
}

export type RunOptions = StdioRunOptions | HttpRunOptions;

export function isHttpRun(options: RunOptions): options is HttpRunOptions {
  return options.transport !== undefined && options.transport !== "stdio";
}

const HTTP_RUN_KEYS = {
  ...HTTP_OPTION_KEYS,
  transport: true,
  host: true,
  port: true,
  path: true,
  statelessHttp: true,
  jsonResponse: true,
  logLevel: true,
  logFormat: true,
  accessLog: true,
  health: true,
  shutdownTimeoutMs: true,
  onListening: true,
  signal: true,
  workers: true,
} satisfies KeyList<HttpRunOptions>;

/** Far above any machine's cores: a typo (10000) rather than a plan. */
export const MAX_WORKERS = 1024;

/** A worker count, or the words for what it should be. */
export function badWorkers(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS)
    return undefined;
  return `a whole number from 1 to ${MAX_WORKERS}`;
}

const STDIO_RUN_KEYS = {
  transport: true,
  logLevel: true,
  logFormat: true,
} satisfies KeyList<StdioRunOptions>;

const HEALTH_KEYS = { path: true, readyPath: true } satisfies KeyList<HealthOptions>;

/** The transports `run()` serves, as the error for an unknown one lists them. */
export const TRANSPORTS = ["stdio", "streamable-http", "http", "sse"] as const;

/** Checks `run()` options at run time: the transport, then every key for that transport. */
export function checkRunOptions(options: unknown, owner: string): RunOptions {
  checkOptionsObject(options, `${owner}.run()`, "the options");
  const value = (options ?? {}) as { transport?: unknown };
  const transport = value.transport ?? "stdio";
  if (!(TRANSPORTS as readonly unknown[]).includes(transport))
    throw new TypeError(
      `${owner}.run(): unknown transport ${typeof transport === "string" ? `"${transport.slice(0, 60)}"` : describeValue(transport)} (known transports: ${TRANSPORTS.join(", ")})`,
    );
  if (transport === "stdio") {
    // An HTTP option without `transport` means the transport was forgotten, not misspelt.
    const httpKey = Object.keys(value).find(
      (key) => !Object.hasOwn(STDIO_RUN_KEYS, key) && Object.hasOwn(HTTP_RUN_KEYS, key),
    );
    if (httpKey !== undefined)
      throw new TypeError(
        `${owner}.run(): "${httpKey}" is an option of the HTTP transport, but the transport is stdio; pass transport: "streamable-http"`,
      );
    checkKnownKeys(value, STDIO_RUN_KEYS, { owner: `${owner}.run() over stdio` });
    return value as RunOptions;
  }
  checkHttpOptions(value, `${owner}.run()`, "", HTTP_RUN_KEYS);
  const { legacySse, health, workers } = value as HttpRunOptions;
  if (workers !== undefined && badWorkers(workers) !== undefined)
    throw new TypeError(
      `${owner}.run(): workers must be ${badWorkers(workers)}, got ${describeValue(workers)}`,
    );
  if (health !== undefined && typeof health !== "boolean") {
    checkOptionsObject(health, `${owner}.run()`, "health");
    checkKnownKeys(health, HEALTH_KEYS, { owner: `${owner}.run()`, path: "health." });
  }
  if (transport !== "sse") return value as RunOptions;
  if (legacySse === false)
    throw new TypeError(
      `${owner}.run(): transport "sse" serves the 2024-11-05 HTTP+SSE transport, so legacySse cannot be false`,
    );
  return { ...(value as HttpRunOptions), legacySse: legacySse ?? true };
}
