import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Middleware } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { addressOf } from "./client-address.js";
import { callerOf, clientOf, subjectOf } from "./identity.js";
import { TokenBuckets } from "./token-buckets.js";

export interface RateLimitOptions {
  /** Sustained requests per second per key. */
  readonly requestsPerSecond: number;
  /** Requests a key may make at once after being idle (the bucket's size). Default: `requestsPerSecond`, at least 1. */
  readonly burst?: number;
  /**
   * Whose bucket a request takes from: `"caller"` (default: the token's
   * subject, else the legacy session or connection, else the peer's address),
   * `"subject"` (the token's subject only), `"client"` (session, connection
   * or address), or a function of the request (return undefined for the
   * shared bucket), such as `forwardedFor()` behind a reverse proxy.
   */
  readonly by?: "caller" | "subject" | "client" | ((request: RequestScope) => string | undefined);
  /** The methods limited (default: every request). */
  readonly methods?: readonly string[];
  /** Buckets kept at most (default 10,000); idle ones are dropped first. */
  readonly maxKeys?: number;
}

const KEYS = {
  requestsPerSecond: true,
  burst: true,
  by: true,
  methods: true,
  maxKeys: true,
} as const satisfies KeyList<RateLimitOptions>;

/** Requests with no identity share one bucket (sessionless HTTP without a token or an address). */
const SHARED = "shared";

/**
 * A token bucket per caller. A refused request is a JSON-RPC error with code
 * 429 (`ErrorCode.RateLimited`) and `data.retryAfterSeconds`; over HTTP it
 * is answered with status 429 and a `Retry-After` header.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  checkOptionsObject(options, "rateLimit()", "options");
  if (options === undefined) throw new TypeError("rateLimit() needs { requestsPerSecond }");
  checkKnownKeys(options, KEYS, { owner: "rateLimit()" });
  const { requestsPerSecond: rate, by = "caller", methods, maxKeys = 10_000 } = options;
  const burst = options.burst ?? Math.max(1, rate);
  positive(rate, "requestsPerSecond");
  positive(burst, "burst");
  if (burst < 1) throw new TypeError("rateLimit(): burst must be at least 1");
  if (!Number.isInteger(maxKeys) || maxKeys < 1)
    throw new TypeError("rateLimit(): maxKeys must be a positive integer");
  const keyOf = keyFunction(by);
  const only = methodSet(methods);
  const buckets = new TokenBuckets(rate / 1000, burst, maxKeys);
  return (request, next) => {
    if (only !== undefined && !only.has(request.method)) return next();
    const waitMs = buckets.take(keyOf(request) ?? SHARED, performance.now());
    if (waitMs === 0) return next();
    const seconds = Math.ceil(waitMs / 100) / 10;
    return Promise.reject(
      new McpError(ErrorCode.RateLimited, `Rate limit exceeded: retry in ${seconds} s`, {
        retryAfterSeconds: seconds,
      }),
    );
  };
}

function positive(value: unknown, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`rateLimit(): ${name} must be a positive number`);
}

function keyFunction(by: RateLimitOptions["by"]): (request: RequestScope) => string | undefined {
  switch (by) {
    // The address last: every session and token behind one NAT shares it.
    case "caller":
      return (request) => callerOf(request) ?? addressOf(request);
    case "subject":
      return subjectOf;
    case "client":
      return (request) => clientOf(request) ?? addressOf(request);
    default:
      if (typeof by === "function") return by;
      throw new TypeError(
        'rateLimit(): by must be "caller", "subject", "client" or a function of the request',
      );
  }
}

function methodSet(methods: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (methods === undefined) return undefined;
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === "string"))
    throw new TypeError('rateLimit(): methods must be a list of method names, e.g. ["tools/call"]');
  return new Set(methods);
}
