import { type Logger, logsAt } from "../logger.js";
import type { Engine } from "../protocol/engine.js";
import type { Lifecycle } from "../server/lifecycle.js";
import { StartError } from "../server/start-error.js";
import { type ListeningServer, listen, stopAccepting } from "../transports/http/listen.js";
import type { NodeHandler } from "../transports/http/node.js";
import { isLoopbackHost, LOOPBACK_HOST_NAMES } from "../transports/http/security.js";
import { AccessLog } from "./access-log.js";
import { Health, type Pingable } from "./health.js";
import { httpHint } from "./hints.js";
import type { HttpEndpoints } from "./http-endpoints.js";
import type { HttpRunOptions } from "./run-options.js";
import { leaveCluster, onStopMessage, reportListening, workerPort } from "./workers.js";

export interface HttpRunParts {
  readonly endpoints: HttpEndpoints;
  readonly lifecycle: Lifecycle;
  readonly engine: Engine;
  /** The server's `http.allowedHosts` option, which a run's own option overrides. */
  readonly allowedHosts: readonly string[] | undefined;
  /** Names the server in errors: `FastMCP("weather")`. */
  readonly owner: string;
  /** The server's logger, already at the run's level and format. */
  readonly logger: Logger;
  /** The state stores readiness asks (those given as options; the in-memory defaults cannot fail). */
  readonly stores: readonly (readonly [name: string, store: Pingable | undefined])[];
}

/**
 * `mcp.run({ transport: "streamable-http" })`: a node:http server until
 * SIGINT, SIGTERM or the `signal` option, then a graceful shutdown.
 */
export async function runHttp(parts: HttpRunParts, options: HttpRunOptions): Promise<void> {
  const {
    transport: _transport,
    host = "127.0.0.1",
    port: _port,
    path,
    logLevel: _logLevel,
    logFormat: _logFormat,
    accessLog = true,
    health: healthOption,
    shutdownTimeoutMs = 10_000,
    onListening,
    signal,
    workers: _workers,
    ...http
  } = options;
  // A worker of `run({ workers })` serves on the primary's port, which cluster shares.
  const worker = workerPort();
  const port = worker ?? options.port ?? 8000;
  const { endpoints, lifecycle, engine, logger } = parts;
  const allowedHosts =
    http.allowedHosts ??
    parts.allowedHosts ??
    (isLoopbackHost(host) ? LOOPBACK_HOST_NAMES : undefined);
  const endpoint = endpoints.create({ ...http, allowedHosts, path });
  // Readiness fails from the first moment of a shutdown, so balancers stop sending.
  let stopping = false;
  const health =
    healthOption === undefined || healthOption === false
      ? undefined
      : new Health(healthOption, {
          serving: () => lifecycle.running && !stopping,
          stores: [...parts.stores, ["eventStore", endpoint.settings.eventStore]],
          isMcpPath: (candidate) => endpoint.matches(candidate),
          logger,
          owner: parts.owner,
        });
  const access =
    accessLog && logsAt(logger, "info")
      ? new AccessLog(logger, logsAt(logger, "debug"))
      : undefined;
  const mcp = endpoints.nodeHandlerFor(endpoint, access);
  await lifecycle.start();
  let running: ListeningServer;
  try {
    const { settings } = endpoint;
    const handler = health === undefined ? mcp : withHealth(health, mcp, access);
    running = await listen(handler, host, port, settings.path, settings);
  } catch (error) {
    await lifecycle.close();
    throw new StartError(`${parts.owner} could not listen: ${listenFailure(error, host, port)}`);
  }
  if (worker !== undefined) {
    // The primary announces the server (and calls onListening) once every worker listens.
    logger.info(`Worker ${process.pid} serving at ${running.url}`);
    reportListening(running.url, running.port);
  } else announce(running, endpoint.settings.legacySse, health, logger);
  if (worker === undefined) onListening?.({ url: running.url, port: running.port });
  await new Promise<void>((resolve) => {
    let removeStopMessage = () => {};
    const stop = () => {
      stopping = true;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      removeStopMessage();
      resolve();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
    // A worker's SIGINT comes from a terminal's Ctrl-C, which reached the primary too: the
    // primary's stop message starts the drain, and a second signal must not cut it short.
    if (worker === undefined) process.once("SIGINT", stop);
    else {
      process.on("SIGINT", ignore);
      removeStopMessage = onStopMessage(stop);
    }
    process.once("SIGTERM", stop);
    lifecycle.onClose(async () => stop());
  });
  // Graceful shutdown: stop accepting, let running requests and tasks finish, close streams, end the lifespan.
  const stopped = stopAccepting(running.server);
  await Promise.all([engine.drain(shutdownTimeoutMs), lifecycle.drainTasks(shutdownTimeoutMs)]);
  await endpoint.closeStreams();
  await lifecycle.close();
  running.server.closeAllConnections();
  await stopped;
  process.off("SIGINT", ignore);
  if (worker !== undefined) leaveCluster();
}

function ignore(): void {}

/** The lines a server that listens says: where, the 2024-11-05 transport, probes, a client to try. */
function announce(
  running: ListeningServer,
  legacy: { ssePath: string; messagesPath: string } | undefined | false,
  health: Health | undefined,
  logger: Logger,
): void {
  logger.info(`Serving MCP over Streamable HTTP at ${running.url}`);
  if (legacy)
    logger.info(
      `Serving the 2024-11-05 HTTP+SSE transport at ${new URL(legacy.ssePath, running.url)} (messages: ${legacy.messagesPath})`,
    );
  if (health !== undefined) {
    const base = new URL(running.url);
    logger.info(
      `Health checks: ${new URL(health.livePath, base)} (liveness), ${new URL(health.readyPath, base)} (readiness)`,
    );
  }
  logger.info(httpHint(running.url));
}

/** Health probes first (outside the MCP endpoint's rules), everything else to the endpoint. */
function withHealth(health: Health, mcp: NodeHandler, access: AccessLog | undefined): NodeHandler {
  return (req, res) => {
    const path = health.match(req.url);
    if (path === undefined) return mcp(req, res);
    access?.watchProbe(req, res, path);
    health.serve(path, req, res);
  };
}

/** Why a server could not listen, and what to do about it, in words rather than an errno. */
export function listenFailure(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown }).code;
  const at = `${host}:${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is in use (another server is listening there); stop it, or pass another port: run({ port })`;
    case "EACCES":
      return `binding ${at} is not permitted (ports below 1024 need privileges); use a port above 1023`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name "${host}" could not be resolved; use an IP address or a name this machine resolves`;
    default:
      return `${at}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
