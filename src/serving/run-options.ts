import type { LogLevelName } from "../logger.js";
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
  /** How long shutdown waits for running requests before aborting them. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Called once the server listens (the `signal` option stops it). */
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
  shutdownTimeoutMs: true,
  onListening: true,
  signal: true,
} satisfies KeyList<HttpRunOptions>;

const STDIO_RUN_KEYS = { transport: true } satisfies KeyList<StdioRunOptions>;

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
      (key) => key !== "transport" && Object.hasOwn(HTTP_RUN_KEYS, key),
    );
    if (httpKey !== undefined)
      throw new TypeError(
        `${owner}.run(): "${httpKey}" is an option of the HTTP transport, but the transport is stdio; pass transport: "streamable-http"`,
      );
    checkKnownKeys(value, STDIO_RUN_KEYS, { owner: `${owner}.run() over stdio` });
    return value as RunOptions;
  }
  checkHttpOptions(value, `${owner}.run()`, "", HTTP_RUN_KEYS);
  const { legacySse } = value as HttpRunOptions;
  if (transport !== "sse") return value as RunOptions;
  if (legacySse === false)
    throw new TypeError(
      `${owner}.run(): transport "sse" serves the 2024-11-05 HTTP+SSE transport, so legacySse cannot be false`,
    );
  return { ...(value as HttpRunOptions), legacySse: legacySse ?? true };
}
