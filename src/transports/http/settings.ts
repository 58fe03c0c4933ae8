import type { EventStore } from "../../state/event-store.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../../util/known-keys.js";

/** Cross-origin access for browser clients (the MCP Inspector, web apps). */
export interface CorsOptions {
  /** Origins allowed to call the endpoint: a list, or "*" for any. Default "*". */
  origin?: string | readonly string[];
  /** Extra response headers browsers may read, besides the MCP ones. */
  exposeHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer, in seconds. Default 600. */
  maxAge?: number;
}

/** How the Streamable HTTP endpoint behaves. Every field has a default. */
export interface HttpOptions {
  /** Largest request body accepted, in bytes; larger ones get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /**
   * How long a request's headers may take to arrive, from its first byte (or
   * from the connection's opening), in ms; past it the client gets a bare 408
   * and the connection closes. Only for the server `run()` makes: under
   * `nodeHandler()` the application's server keeps its own. Default 10 s.
   */
  headersTimeoutMs?: number;
  /**
   * How long a request's body may take to arrive in full, in ms, from the end
   * of its headers; past it the client gets 408 and the connection closes.
   * Response streams (SSE) are not limited by it. Default 30 s.
   */
  bodyTimeoutMs?: number;
  /** A legacy session unused this long ends and its memory is released. Default 30 minutes. */
  sessionIdleTimeoutMs?: number;
  /** Most legacy sessions alive at once; `initialize` beyond it gets 503. Default 100,000. */
  maxSessions?: number;
  /**
   * Host names (optionally with `:port`) the endpoint answers to; others get
   * 403. Guards against DNS rebinding. `run()` on a loopback address fills it
   * with the loopback names by default.
   */
  allowedHosts?: readonly string[];
  /**
   * Origins allowed besides the endpoint's own; a request with any other
   * `Origin` gets 403. "*" allows every origin. Loopback origins are always
   * allowed when the request itself came to a loopback host.
   */
  allowedOrigins?: readonly string[] | "*";
  /** Adds CORS headers and answers preflights. `true` allows every origin. */
  cors?: boolean | CorsOptions;
  /**
   * Where SSE events wait for clients that resume with `Last-Event-ID`
   * (legacy era, sessions only). Default: in memory. `false` turns
   * resumability off.
   */
  eventStore?: EventStore | false;
  /** Keep-alive comment interval on open SSE streams. Default 15 s; 0 turns them off. */
  sseKeepAliveMs?: number;
  /** The reconnection delay sent in priming events (`retry:`), in ms. Default 1000. */
  sseRetryMs?: number;
  /**
   * How long a session's dropped GET stream keeps collecting events for a
   * resume, and how long a request's stream stays resumable after its
   * result (from the result or the last resume). Default 30 s.
   */
  resumeWindowMs?: number;
  /**
   * Also serve the 2024-11-05 HTTP+SSE transport for old clients: GET
   * `ssePath` opens the event stream, POST `messagesPath` carries messages.
   * `true` uses `/sse` and `/messages`.
   */
  legacySse?: boolean | { ssePath?: string; messagesPath?: string };
}

const CORS_KEYS = {
  origin: true,
  exposeHeaders: true,
  maxAge: true,
} satisfies KeyList<CorsOptions>;
/** Starlette's CORSMiddleware names (the Python guide's), camel-cased, and near misses. */
const CORS_ALIASES = { allowOrigins: "origin", allowedOrigins: "origin", origins: "origin" };
const LEGACY_SSE_KEYS = { ssePath: true, messagesPath: true } satisfies KeyList<{
  ssePath?: string;
  messagesPath?: string;
}>;

/** Every `HttpOptions` key, for checks of options objects that extend it. */
export const HTTP_OPTION_KEYS = {
  maxBodyBytes: true,
  headersTimeoutMs: true,
  bodyTimeoutMs: true,
  sessionIdleTimeoutMs: true,
  maxSessions: true,
  allowedHosts: true,
  allowedOrigins: true,
  cors: true,
  eventStore: true,
  sseKeepAliveMs: true,
  sseRetryMs: true,
  resumeWindowMs: true,
  legacySse: true,
} satisfies KeyList<HttpOptions>;

/**
 * Checks HTTP options at run time (unknown keys, in `cors` and `legacySse`
 * too), so a misspelt security option is an error rather than an open door.
 * `known` is `HTTP_OPTION_KEYS` or a list that extends it (`run()` options).
 */
export function checkHttpOptions(
  value: unknown,
  owner: string,
  path: string,
  known: KeyList<object> = HTTP_OPTION_KEYS,
): void {
  checkOptionsObject(value, owner, path === "" ? "the options" : path.slice(0, -1));
  if (value === undefined) return;
  checkKnownKeys(value as object, known, { owner, path });
  const { cors, legacySse } = value as HttpOptions;
  if (cors !== undefined && typeof cors !== "boolean") {
    checkOptionsObject(cors, owner, `${path}cors`);
    checkKnownKeys(cors, CORS_KEYS, { owner, path: `${path}cors.`, aliases: CORS_ALIASES });
  }
  if (legacySse !== undefined && typeof legacySse !== "boolean") {
    checkOptionsObject(legacySse, owner, `${path}legacySse`);
    checkKnownKeys(legacySse, LEGACY_SSE_KEYS, { owner, path: `${path}legacySse.` });
  }
}

export interface HttpSettings {
  readonly path: string;
  readonly stateless: boolean;
  readonly jsonResponse: boolean;
  readonly maxBodyBytes: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly sessionIdleTimeoutMs: number;
  readonly maxSessions: number;
  readonly allowedHosts: ReadonlySet<string> | undefined;
  readonly allowedOrigins: ReadonlySet<string> | "*";
  readonly cors: Required<CorsOptions> | undefined;
  readonly eventStore: EventStore | undefined;
  readonly sseKeepAliveMs: number;
  readonly sseRetryMs: number;
  readonly resumeWindowMs: number;
  readonly legacySse: { readonly ssePath: string; readonly messagesPath: string } | undefined;
}

export interface HttpSettingsInput extends HttpOptions {
  path?: string | undefined;
  stateless?: boolean | undefined;
  jsonResponse?: boolean | undefined;
}

/** Applies defaults and checks values once, so requests never re-check them. */
export function resolveHttpSettings(
  input: HttpSettingsInput,
  defaultEventStore: () => EventStore,
): HttpSettings {
  const cors =
    input.cors === undefined || input.cors === false
      ? undefined
      : {
          origin: input.cors === true ? "*" : (input.cors.origin ?? "*"),
          exposeHeaders: input.cors === true ? [] : (input.cors.exposeHeaders ?? []),
          maxAge: input.cors === true ? 600 : (input.cors.maxAge ?? 600),
        };
  const allowedOrigins =
    input.allowedOrigins === "*" || cors?.origin === "*"
      ? "*"
      : new Set([
          ...(input.allowedOrigins ?? []),
          ...(cors ? (typeof cors.origin === "string" ? [cors.origin] : cors.origin) : []),
        ]);
  const legacy =
    input.legacySse === undefined || input.legacySse === false
      ? undefined
      : {
          ssePath: normalizePath(
            input.legacySse === true ? "/sse" : (input.legacySse.ssePath ?? "/sse"),
          ),
          messagesPath: normalizePath(
            input.legacySse === true ? "/messages" : (input.legacySse.messagesPath ?? "/messages"),
          ),
        };
  return {
    path: normalizePath(input.path ?? "/mcp"),
    stateless: input.stateless ?? false,
    jsonResponse: input.jsonResponse ?? false,
    maxBodyBytes: positive("maxBodyBytes", input.maxBodyBytes, 4 * 1024 * 1024),
    headersTimeoutMs: timeout("headersTimeoutMs", input.headersTimeoutMs, 10_000),
    bodyTimeoutMs: timeout("bodyTimeoutMs", input.bodyTimeoutMs, 30_000),
    sessionIdleTimeoutMs: positive("sessionIdleTimeoutMs", input.sessionIdleTimeoutMs, 30 * 60_000),
    maxSessions: positive("maxSessions", input.maxSessions, 100_000),
    allowedHosts: input.allowedHosts
      ? new Set(input.allowedHosts.map((h) => h.toLowerCase()))
      : undefined,
    allowedOrigins,
    cors,
    eventStore: input.eventStore === false ? undefined : (input.eventStore ?? defaultEventStore()),
    sseKeepAliveMs: nonNegative("sseKeepAliveMs", input.sseKeepAliveMs, 15_000),
    sseRetryMs: nonNegative("sseRetryMs", input.sseRetryMs, 1000),
    resumeWindowMs: nonNegative("resumeWindowMs", input.resumeWindowMs, 30_000),
    legacySse: legacy,
  };
}

/** "/mcp/" and "mcp" both mean "/mcp"; "/" means wherever the handler is mounted. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`http.${name} must be a positive number, got ${value}`);
  return value;
}

/** Longest delay a timer takes (2^31 - 1 ms, 24.8 days); Node fires longer ones after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A time limit: whole milliseconds, at least 1, at most what a timer takes. */
function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS)
    throw new TypeError(
      `http.${name} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${value}`,
    );
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`http.${name} must be zero or more, got ${value}`);
  return value;
}
