import type { AuthSettings } from "../auth/types.js";
import type { CacheHints } from "../core.js";
import type { ServerOptions, TaskOptions } from "../options.js";
import type { Telemetry } from "../protocol/telemetry.js";
import { checkHttpOptions } from "../transports/http/settings.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";

const SERVER_OPTION_KEYS = {
  version: true,
  title: true,
  description: true,
  instructions: true,
  websiteUrl: true,
  icons: true,
  tokenVerifier: true,
  auth: true,
  lifespan: true,
  statelessHttp: true,
  jsonResponse: true,
  streamableHttpPath: true,
  http: true,
  pageSize: true,
  maskErrorDetails: true,
  cache: true,
  clientRequestTimeoutMs: true,
  requestStateSecret: true,
  requestStateTtlMs: true,
  logger: true,
  logLevel: true,
  logFormat: true,
  sessionStore: true,
  bus: true,
  subscriptionStore: true,
  eventStore: true,
  taskStore: true,
  tasks: true,
  telemetry: true,
} satisfies KeyList<ServerOptions & { lifespan?: unknown }>;

/** Python FastMCP's settings that are `run()` options here, and other names from habit. */
const SERVER_ALIASES = {
  path: "streamableHttpPath",
  name: "title",
  token_verifier: "tokenVerifier",
  verifier: "tokenVerifier",
  authSettings: "auth",
};

const AUTH_KEYS = {
  issuerUrl: true,
  resourceServerUrl: true,
  requiredScopes: true,
  scopesSupported: true,
  serviceDocumentationUrl: true,
  resourceName: true,
} satisfies KeyList<AuthSettings>;

/** The Python guide's names (AuthSettings' fields), and RFC 9728's. */
const AUTH_ALIASES = {
  issuer_url: "issuerUrl",
  issuer: "issuerUrl",
  authorizationServers: "issuerUrl",
  resource_server_url: "resourceServerUrl",
  resource: "resourceServerUrl",
  resourceUrl: "resourceServerUrl",
  required_scopes: "requiredScopes",
  scopes: "requiredScopes",
  scopes_supported: "scopesSupported",
  service_documentation_url: "serviceDocumentationUrl",
  resource_name: "resourceName",
};

const CACHE_KEYS = { ttlMs: true, scope: true } satisfies KeyList<CacheHints>;

const TASKS_KEYS = {
  ttlMs: true,
  pollIntervalMs: true,
  leaseMs: true,
} satisfies KeyList<TaskOptions>;
const TASKS_ALIASES = {
  ttl: "ttlMs",
  pollInterval: "pollIntervalMs",
  ttl_ms: "ttlMs",
  lease: "leaseMs",
};

/**
 * Checks a server's options at run time: every key known, nested option
 * objects too (`http`, `http.cors`, `cache`), so a misspelling is an error
 * that names it rather than a setting silently left at its default.
 */
export function checkServerOptions(name: string, options: unknown): void {
  const owner = `FastMCP("${name}")`;
  checkOptionsObject(options, owner, "the options");
  if (options === undefined) return;
  checkKnownKeys(options as object, SERVER_OPTION_KEYS, { owner, aliases: SERVER_ALIASES });
  const { cache, http, auth, tasks, taskStore } = options as ServerOptions;
  checkOptionsObject(auth, owner, "auth");
  if (auth !== undefined)
    checkKnownKeys(auth, AUTH_KEYS, { owner, path: "auth.", aliases: AUTH_ALIASES });
  checkOptionsObject(cache, owner, "cache");
  if (cache !== undefined) checkKnownKeys(cache, CACHE_KEYS, { owner, path: "cache." });
  checkHttpOptions(http, owner, "http.");
  checkOptionsObject(tasks, owner, "tasks");
  if (tasks !== undefined)
    checkKnownKeys(tasks, TASKS_KEYS, { owner, path: "tasks.", aliases: TASKS_ALIASES });
  if (taskStore !== undefined && !isTaskStore(taskStore))
    throw new TypeError(`${owner}: taskStore must have create(), get() and update() methods`);
}

function isTaskStore(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const store = value as Record<string, unknown>;
  return ["create", "get", "update"].every((method) => typeof store[method] === "function");
}

/** The `telemetry` option: what `openTelemetry()` returns, or an object with the same two methods. */
export function checkTelemetry(telemetry: unknown): Telemetry | undefined {
  if (telemetry === undefined) return undefined;
  const t = telemetry as Partial<Telemetry> | null;
  if (typeof t?.startRequest !== "function" || typeof t.sessionEnded !== "function") {
    throw new TypeError(
      'telemetry must be what openTelemetry() from "fastmcp-ts/otel" returns (an object with startRequest and sessionEnded)',
    );
  }
  return telemetry as Telemetry;
}
