import type { CacheHints, ResolvedSettings } from "../core.js";
import type { ServerOptions } from "../options.js";

/** An environment variable, where the runtime has them (not in Workers). */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.[name];
}

/** The server's settings with defaults applied, each checked once at construction. */
export function resolveSettings(options: ServerOptions): ResolvedSettings {
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
  const envSecret = envVar("FASTMCP_REQUEST_STATE_SECRET");
  const secret = options.requestStateSecret ?? (envSecret === "" ? undefined : envSecret);
  return {
    pageSize: options.pageSize,
    maskErrorDetails: options.maskErrorDetails ?? false,
    cache,
    clientRequestTimeoutMs,
    requestState: { secret, ttlMs },
  };
}

const TEN_MINUTES = 10 * 60 * 1000;

/** A timer length: a positive integer that setTimeout can hold. */
function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new TypeError(`${name} must be a positive integer of milliseconds, got ${value}`);
  }
  return value;
}
