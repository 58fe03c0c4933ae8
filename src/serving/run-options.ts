import type { LogLevelName } from "../logger.js";
import type { HttpOptions } from "../transports/http/settings.js";

/** `mcp.run()` over stdio (the default). */
export interface StdioRunOptions {
  transport?: "stdio";
}

/** `mcp.run()` over Streamable HTTP: a node:http server with graceful shutdown. */
export interface HttpRunOptions extends HttpOptions {
  transport: "streamable-http" | "http";
  /** Default "127.0.0.1". A loopback host turns on the Host allow-list (DNS rebinding guard). */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Overrides the `streamableHttpPath` option. */
  path?: string;
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
