import { resolveServerAuth, type ServerAuth } from "../auth/server-auth.js";
import type { Logger } from "../logger.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { FastMCP } from "../server.js";
import { checkRunOptions, isHttpRun, type RunOptions } from "../serving/run-options.js";
import { MemoryEventStore } from "../state/event-store.js";
import type { HttpEndpoint } from "../transports/http/endpoint.js";
import { NodeExchange, type NodeHandler } from "../transports/http/node.js";
import { isLoopbackHost, LOOPBACK_HOST_NAMES } from "../transports/http/security.js";
import { type HttpSettings, resolveHttpSettings } from "../transports/http/settings.js";
import { CliError, EXIT } from "./errors.js";

/** What `dev`'s flags say about HTTP; each wins over the file. */
export interface DevHttpFlags {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly path?: string | undefined;
}

export interface DevHttpSetup {
  readonly host: string;
  readonly port: number;
  readonly settings: HttpSettings;
  readonly auth: ServerAuth | undefined;
}

/**
 * The endpoint's settings, worked out once from the first generation: its
 * server's options, the options its file gave `mcp.run()` (when it called
 * it over HTTP), then the flags, as `run` does. The event store is made
 * here, in the command, so it outlives every generation.
 */
export function httpSetup(
  server: FastMCP,
  fileRun: RunOptions | undefined,
  flags: DevHttpFlags,
): DevHttpSetup {
  const owner = `FastMCP("${server.name}")`;
  const options = server.options;
  try {
    const run = fileRun !== undefined && isHttpRun(fileRun) ? fileRun : undefined;
    if (run !== undefined) checkRunOptions(run, owner);
    // What the run gives beyond HTTP options is the command's to decide (or no use to it).
    const {
      transport: _transport,
      host,
      port,
      path,
      statelessHttp,
      jsonResponse,
      logLevel: _logLevel,
      shutdownTimeoutMs: _shutdownTimeoutMs,
      onListening: _onListening,
      signal: _signal,
      ...runHttp
    } = run ?? { transport: "streamable-http" };
    const listenHost = flags.host ?? host ?? "127.0.0.1";
    const http = { ...options.http, ...runHttp };
    const settings = resolveHttpSettings(
      {
        ...http,
        path: flags.path ?? path ?? options.streamableHttpPath,
        stateless: statelessHttp ?? options.statelessHttp,
        jsonResponse: jsonResponse ?? options.jsonResponse,
        // A loopback server answers only to loopback names (the DNS rebinding guard `run` sets too).
        allowedHosts:
          http.allowedHosts ?? (isLoopbackHost(listenHost) ? LOOPBACK_HOST_NAMES : undefined),
      },
      () => new MemoryEventStore(),
    );
    return {
      host: listenHost,
      port: flags.port ?? port ?? 8000,
      settings,
      auth: resolveServerAuth(owner, options.tokenVerifier, options.auth),
    };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CliError(error.message, EXIT.usage);
  }
}

/**
 * What the endpoint was built from, as text, to tell when a reload changed
 * it: the endpoint lives for the whole run, so such a change needs a restart.
 * Objects that are not plain data (a verifier, an event store) count by kind.
 */
export function httpOptionsKey(server: FastMCP, fileRun: RunOptions | undefined): string {
  const { http, statelessHttp, jsonResponse, streamableHttpPath, auth, tokenVerifier } =
    server.options;
  const run = fileRun !== undefined && isHttpRun(fileRun) ? fileRun : undefined;
  return JSON.stringify(
    { http, statelessHttp, jsonResponse, streamableHttpPath, auth, tokenVerifier, run },
    (_key, value: unknown) =>
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.getPrototypeOf(value) !== Object.prototype
        ? `[${value.constructor?.name ?? "object"}]`
        : value,
  );
}

const INTERNAL_ERROR_BODY = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: ErrorCode.InternalError, message: "Internal error" },
});

/** node:http's handler for the endpoint; other paths get 404. */
export function endpointHandler(endpoint: HttpEndpoint, logger: () => Logger): NodeHandler {
  return (req, res) => {
    const ex = new NodeExchange(req, res);
    if (!endpoint.matches(ex.pathname)) {
      ex.reply(404, { "content-type": "text/plain" }, "Not Found");
      return;
    }
    endpoint.handle(ex).catch((error: unknown) => {
      // A client that hangs up while its request is read is not the server's failure.
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      if (code === "ECONNRESET" || code === "ECONNABORTED" || message === "aborted") return;
      logger().error("Failed to serve an HTTP request", error);
      ex.reply(500, { "content-type": "application/json" }, INTERNAL_ERROR_BODY);
    });
  };
}

/** Why the command could not listen, and what to do about it, in words rather than an errno. */
export function listenFailure(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is in use (another server is listening there): stop it, or pass another port: --port ${port + 1} (0 picks a free one)`;
    case "EACCES":
      return `listening on ${host}:${port} is not permitted (ports below 1024 need privileges): pass --port with a port above 1023`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine: pass --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name "${host}" could not be resolved: pass --host with an IP address`;
    default:
      return `${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
