import type { CacheHints, ResolvedSettings } from "../core.js";
import {
  LOG_FORMATS,
  LOG_LEVEL_WORDS,
  type Logger,
  parseLogLevel,
  stderrLogger,
} from "../logger.js";
import type { ServerOptions } from "../options.js";
import { readServerEnv, type ServerEnv } from "./env.js";

export { envVar } from "./env.js";

/**
 * The server's logger: the `logger` option, or stderr at `logLevel` in
 * `logFormat`, each from FASTMCP_LOG_LEVEL / FASTMCP_LOG_FORMAT when the
 * options leave it out.
 */
export function resolveLogger(name: string, options: ServerOptions, env: ServerEnv): Logger {
  const { logLevel, logFormat } = options;
  if (logLevel !== undefined && (typeof logLevel !== "string" || !parseLogLevel(logLevel)))
    throw new TypeError(
      `FastMCP("${name}"): logLevel must be one of ${LOG_LEVEL_WORDS}, got ${JSON.stringify(logLevel)}`,
    );
  if (logFormat !== undefined && !LOG_FORMATS.includes(logFormat))
    throw new TypeError(
      `FastMCP("${name}"): logFormat must be "human" or "json", got ${JSON.stringify(logFormat)}`,
    );
  return (
    options.logger ??
    stderrLogger(
      name,
      parseLogLevel(logLevel) ?? env.logLevel ?? "info",
      logFormat ?? env.logFormat ?? "human",
    )
  );
}

/** The server's settings with defaults applied, each checked once at construction. */
export function resolveSettings(
  options: ServerOptions,
  env: ServerEnv = readServerEnv(),
): ResolvedSettings {
  const cache: CacheHints = {
    ttlMs: options.cache?.ttlMs ?? 0,
    scope: options.cache?.scope ?? "private",
  };
  // Behind auth, what a caller sees depends on its token (lists filtered by
  // scopes, handlers reading ctx.auth): a shared cache must never keep it.
  if (cache.scope === "public" && options.tokenVerifier !== undefined)
    throw new TypeError(
      'cache.scope "public" cannot go with a tokenVerifier: results depend on the caller\'s token, so shared caches must not keep them (leave cache.scope at "private")',
    );
  if (!Number.isInteger(cache.ttlMs) || cache.ttlMs < 0) {
    throw new TypeError(`cache.ttlMs must be a non-negative integer, got ${options.cache?.ttlMs}`);
  }
  if (
    options.pageSize !== undefined &&
    (!Number.isInteger(options.pageSize) || options.pageSize < 1)
  ) {
    throw new TypeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const clientRequestTimeoutMs = positiveMs(
    "clientRequestTimeoutMs",
    options.clientRequestTimeoutMs,
    TEN_MINUTES,
  );
  const ttlMs = positiveMs("requestStateTtlMs", options.requestStateTtlMs, TEN_MINUTES);
  const secret = options.requestStateSecret ?? env.requestStateSecret;
  const pollIntervalMs = positiveMs("tasks.pollIntervalMs", options.tasks?.pollIntervalMs, 500);
  const tasks = {
    ttlMs: positiveMs("tasks.ttlMs", options.tasks?.ttlMs, ONE_HOUR),
    pollIntervalMs,
    leaseMs: leaseMs(options.tasks?.leaseMs, pollIntervalMs),
  };
  return {
    pageSize: options.pageSize,
    maskErrorDetails: options.maskErrorDetails ?? env.maskErrorDetails ?? false,
    cache,
    clientRequestTimeoutMs,
    requestState: { secret, ttlMs },
    tasks,
  };
}

const TEN_MINUTES = 10 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

/**
 * A task's lease: long enough that a busy event loop does not lose it (a
 * renewal comes every third of it), short enough that a client polling at
 * its interval learns of a dead process within a few dozen polls.
 */
function leaseMs(value: number | undefined, pollIntervalMs: number): number {
  const lease = positiveMs("tasks.leaseMs", value, Math.max(10_000, 20 * pollIntervalMs));
  if (lease < 100)
    throw new TypeError(
      `tasks.leaseMs must be at least 100 (it is renewed every third of it), got ${value}`,
    );
  return lease;
}

/** A timer length: a positive integer that setTimeout can hold. */
function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new TypeError(`${name} must be a positive integer of milliseconds, got ${value}`);
  }
  return value;
}
