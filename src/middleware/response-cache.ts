import { versionBucket } from "../components/version-bucket.js";
import { isRecord } from "../protocol/meta.js";
import type { Middleware, Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { callerOf } from "./identity.js";

/** How one tool's or resource's results are cached. */
export interface CacheRule {
  /** How long a result is served from the cache (default: the middleware's `ttlMs`). */
  readonly ttlMs?: number;
  /**
   * `"private"` (default): one entry per caller, so one user's result never
   * reaches another, and nothing cached for a caller with no identity.
   * `"public"`: one entry for everyone (results that do not depend on who asks).
   */
  readonly scope?: "private" | "public";
}

export interface ResponseCacheOptions {
  /** The tools whose results are cached, by name. No other tool is: calls may have side effects. */
  readonly tools?: Readonly<Record<string, CacheRule | true>>;
  /** The resources whose reads are cached, by exact URI. */
  readonly resources?: Readonly<Record<string, CacheRule | true>>;
  /** Default time to live (60,000 ms). */
  readonly ttlMs?: number;
  /** Entries kept at most (default 1,000); the oldest go first. */
  readonly maxEntries?: number;
  /** Whose entry a private result is: default the token's principal, else the session or connection. */
  readonly identity?: (request: RequestScope) => string | undefined;
}

/** The middleware, with `clear()` to drop every entry (after data changed). */
export interface ResponseCache extends Middleware {
  clear(): void;
  readonly size: number;
}

const KEYS = {
  tools: true,
  resources: true,
  ttlMs: true,
  maxEntries: true,
  identity: true,
} as const satisfies KeyList<ResponseCacheOptions>;

interface Entry {
  readonly result: Result;
  readonly expires: number;
}

/**
 * Caches successful results of the tools and resources named in `options`,
 * per caller, arguments and protocol version bucket. Tool errors, protocol
 * errors and 2026-07-28 `input_required` answers are never cached.
 */
export function responseCache(options: ResponseCacheOptions): ResponseCache {
  checkOptionsObject(options, "responseCache()", "options");
  if (options === undefined)
    throw new TypeError("responseCache() needs { tools } or { resources }");
  checkKnownKeys(options, KEYS, { owner: "responseCache()" });
  const { ttlMs = 60_000, maxEntries = 1000, identity = callerOf } = options;
  checkTtl(ttlMs, "ttlMs");
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError("responseCache(): maxEntries must be a positive integer");
  if (typeof identity !== "function")
    throw new TypeError("responseCache(): identity must be a function of the request");
  const tools = rules(options.tools, "tools", ttlMs);
  const resources = rules(options.resources, "resources", ttlMs);
  const entries = new Map<string, Entry>();

  const middleware = (async (request, next) => {
    const rule = ruleFor(request, tools, resources);
    if (rule === undefined) return next();
    let who = "";
    if (rule.scope === "private") {
      const caller = identity(request);
      if (caller === undefined) return next(); // nobody to keep it apart for: not cached
      who = caller;
    }
    const key = keyOf(request, who);
    if (key === undefined) return next();
    const now = Date.now();
    const hit = entries.get(key);
    if (hit !== undefined) {
      if (hit.expires > now) return hit.result;
      entries.delete(key);
    }
    const result = await next();
    if (result.isError === true || (result.resultType ?? "complete") !== "complete") return result;
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.set(key, { result, expires: now + rule.ttlMs });
    return result;
  }) as ResponseCache;
  middleware.clear = () => entries.clear();
  Object.defineProperty(middleware, "size", { get: () => entries.size });
  return middleware;
}

type Rules = ReadonlyMap<string, Required<CacheRule>>;

function ruleFor(request: RequestScope, tools: Rules, resources: Rules) {
  const params = request.params;
  if (request.method === "tools/call" && typeof params.name === "string")
    return tools.get(params.name);
  if (request.method === "resources/read" && typeof params.uri === "string")
    return resources.get(params.uri);
  return undefined;
}

/** Caller, method, target, arguments and version bucket (results differ by version). */
function keyOf(request: RequestScope, who: string): string | undefined {
  const params = request.params;
  const target = request.method === "tools/call" ? params.name : params.uri;
  let args = "";
  if (params.arguments !== undefined) {
    if (!isRecord(params.arguments)) return undefined;
    args = JSON.stringify(params.arguments);
  }
  return `${who}\u0000${request.method}\u0000${String(target)}\u0000${versionBucket(request.protocolVersion)}\u0000${args}`;
}

function rules(
  given: Readonly<Record<string, CacheRule | true>> | undefined,
  name: string,
  ttlMs: number,
): Rules {
  const out = new Map<string, Required<CacheRule>>();
  if (given === undefined) return out;
  if (!isRecord(given))
    throw new TypeError(
      `responseCache(): ${name} must be an object keyed by ${name === "tools" ? "tool name" : "URI"}`,
    );
  for (const [key, rule] of Object.entries(given)) {
    if (rule === true) {
      out.set(key, { ttlMs, scope: "private" });
      continue;
    }
    if (!isRecord(rule))
      throw new TypeError(`responseCache(): ${name}["${key}"] must be true or { ttlMs, scope }`);
    checkKnownKeys(
      rule,
      { ttlMs: true, scope: true },
      { owner: "responseCache()", path: `${name}["${key}"].` },
    );
    const scope = rule.scope ?? "private";
    if (scope !== "private" && scope !== "public")
      throw new TypeError(`responseCache(): ${name}["${key}"].scope must be "private" or "public"`);
    const ttl = rule.ttlMs ?? ttlMs;
    checkTtl(ttl, `${name}["${key}"].ttlMs`);
    out.set(key, { ttlMs: ttl as number, scope });
  }
  return out;
}

function checkTtl(ttl: unknown, name: string): void {
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0)
    throw new TypeError(`responseCache(): ${name} must be a positive number of milliseconds`);
}
