import type { AuthSettings, TokenVerifier } from "./auth/types.js";
import type { CacheHints } from "./core.js";
import type { LogFormat, Logger, LogLevelName } from "./logger.js";
import type { Telemetry } from "./protocol/telemetry.js";
import type { Icon } from "./protocol/types.js";
import type { Bus } from "./state/bus.js";
import type { EventStore } from "./state/event-store.js";
import type { SessionStore } from "./state/session.js";
import type { SubscriptionStore } from "./state/subscriptions.js";
import type { TaskStore } from "./state/tasks.js";
import type { HttpOptions } from "./transports/http/settings.js";

/**
 * Everything a server can be told, as one plain object, so a config file,
 * a CLI or environment variables can fill it. The public `FastMCPOptions<L>`
 * (server.ts) adds the `lifespan`, whose type names the server class.
 */
export interface ServerOptions {
  /** The server's version, sent as `serverInfo.version`. Default "1.0.0". */
  version?: string;
  title?: string;
  description?: string;
  /** How to use this server, for the model (sent at initialize / discover). */
  instructions?: string;
  websiteUrl?: string;
  icons?: Icon[];

  /**
   * Checks the bearer token of every HTTP request (stdio is never put behind
   * auth): a `JWTVerifier` or `IntrospectionVerifier` from `fastmcp-ts/auth`,
   * or any object with `verifyToken(token)`. The verified token is `ctx.auth`.
   */
  tokenVerifier?: TokenVerifier;
  /**
   * The server as an OAuth 2.1 protected resource: its authorization
   * server(s), its public URL, the scopes every request needs. Served as
   * RFC 9728 metadata and named in every 401/403 challenge.
   */
  auth?: AuthSettings;

  /** Streamable HTTP without sessions: every request stands alone. `run()` reads FASTMCP_STATELESS_HTTP when unset. */
  statelessHttp?: boolean;
  /** Answer HTTP requests with JSON instead of SSE streams. `run()` reads FASTMCP_JSON_RESPONSE when unset. */
  jsonResponse?: boolean;
  /**
   * Where the MCP endpoint is served. Default "/mcp" (under `run()`,
   * FASTMCP_PATH when set); "/" serves wherever the handler is mounted.
   */
  streamableHttpPath?: string;
  /** Streamable HTTP details: limits, sessions, security, resumability, CORS. */
  http?: HttpOptions;

  /** Items per page in list results; unset means one page with everything. */
  pageSize?: number;
  /** Hide unexpected exceptions' messages from clients (they are still logged). Default false (or FASTMCP_MASK_ERROR_DETAILS). */
  maskErrorDetails?: boolean;
  /** Caching hints on 2026-07-28 list/read/discover results. Default `{ ttlMs: 0, scope: "private" }`. */
  cache?: Partial<CacheHints>;

  /**
   * Legacy era: how long `ctx.elicit`, `ctx.sample` and `ctx.listRoots` wait
   * for the client's answer before failing with `ClientRequestError` (-32001).
   * Default 10 minutes; each call may pass its own `timeoutMs`.
   */
  clientRequestTimeoutMs?: number;
  /**
   * 2026-07-28: the secret that seals `requestState` (AES-GCM, key derived by
   * HKDF), at least 16 bytes. Every process serving this server must share it.
   * Default: FASTMCP_REQUEST_STATE_SECRET, else a random key per process.
   */
  requestStateSecret?: string | Uint8Array;
  /** 2026-07-28: how long a `requestState` stays valid. Default 10 minutes. */
  requestStateTtlMs?: number;

  /** Where the server's own diagnostics go. Default: stderr at `logLevel`. */
  logger?: Logger;
  /** Level for the default logger. Default "info" (or FASTMCP_LOG_LEVEL). */
  logLevel?: LogLevelName;
  /**
   * Format of the default logger: "human" (`[name] LEVEL message`) or "json"
   * (one object per line: time, level, server, msg, fields, error). Default
   * "human" (or FASTMCP_LOG_FORMAT).
   */
  logFormat?: LogFormat;

  /** Where legacy sessions live. Default: in memory. */
  sessionStore?: SessionStore;
  /** How notifications reach every session. Default: in memory. */
  bus?: Bus;
  /** Where legacy-era resource subscriptions live. Default: in memory. */
  subscriptionStore?: SubscriptionStore;
  /**
   * Where SSE events wait for a resume (`Last-Event-ID`), for every HTTP
   * endpoint of the server. Beside the other stores so that one spread
   * (`...redisState({ url })`) moves all state; `http.eventStore` (or an
   * endpoint's own) overrides it. Default: in memory.
   */
  eventStore?: EventStore;
  /**
   * Where tasks of the tasks extension live (2026-07-28): every process
   * sharing it (and the bus) answers tasks/get, tasks/update and tasks/cancel
   * for any task. Default: in memory.
   */
  taskStore?: TaskStore;
  /** Defaults for tasks (tools with a `task` mode). */
  tasks?: TaskOptions;

  /**
   * Traces and metrics: `openTelemetry()` from `fastmcp-ts/otel` (see
   * docs/observability.md). Default: none, and `@opentelemetry/api` is never loaded.
   */
  telemetry?: Telemetry;
}

/** How long tasks live and how often clients are told to poll them. */
export interface TaskOptions {
  /** How long a task (and its result) is kept after it is created. Default 1 hour. */
  ttlMs?: number;
  /** The `pollIntervalMs` suggested to clients. Default 500. */
  pollIntervalMs?: number;
  /**
   * How long the process running a task vouches for it without renewing
   * (it renews every third of this): a task whose process died is failed by
   * the first read after its lease ran out. Default 20 poll intervals, at
   * least 10 s; at least 100.
   */
  leaseMs?: number;
}
