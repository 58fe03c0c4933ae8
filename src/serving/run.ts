import { configureLogger, type Logger } from "../logger.js";
import type { ServerOptions } from "../options.js";
import type { Engine } from "../protocol/engine.js";
import { EnvSettingError, type RunEnv, readRunEnv, warnUnknownEnvVars } from "../server/env.js";
import type { Lifecycle } from "../server/lifecycle.js";
import { StartError } from "../server/start-error.js";
import type { MessageTransport } from "../transports/connection.js";
import { stdioHint } from "./hints.js";
import type { HttpEndpoints } from "./http-endpoints.js";
import { listenFailure, runHttp } from "./run-http.js";
import { checkRunOptions, type HttpRunOptions, isHttpRun, type RunOptions } from "./run-options.js";
import { runStdio } from "./stdio.js";
import { refuseUnsharedState, runPrimary, workerPort } from "./workers.js";

/** What `mcp.run()` serves with: the server's parts, not the server. */
export interface RunParts {
  readonly name: string;
  /** The options given in code, which win over the environment. */
  readonly options: ServerOptions;
  readonly endpoints: HttpEndpoints;
  readonly lifecycle: Lifecycle;
  readonly engine: Engine;
  readonly logger: () => Logger;
  readonly connect: (transport: MessageTransport) => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * `mcp.run()`: stdio or HTTP, as the options say, or FASTMCP_TRANSPORT when
 * they do not; the environment fills what the options and the server's own
 * options leave out. A server that cannot start (a bad variable, port in use,
 * lifespan failed) logs one line saying why and what to do, sets
 * `process.exitCode` to 1 and returns.
 */
export async function runServer(parts: RunParts, options: RunOptions): Promise<void> {
  const owner = `FastMCP("${parts.name}")`;
  const logger = parts.logger();
  try {
    const env = runEnv();
    const given = options.transport === undefined && env.transport !== undefined;
    const checked = checkRunOptions(
      given ? { ...options, transport: env.transport } : options,
      owner,
    );
    configureLogger(logger, { level: checked.logLevel, format: checked.logFormat });
    warnUnknownEnvVars((message) => logger.warn(message));
    if (!isHttpRun(checked))
      return await runStdio(parts.connect, parts.close, () => logger.info(stdioHint(owner)));
    const http = withEnv(checked, env, parts.options);
    const workers = http.workers ?? 1;
    if (workers > 1 && workerPort() === undefined) {
      refuseUnsharedState(owner, workers, {
        stateless: http.statelessHttp ?? parts.options.statelessHttp ?? false,
        sessionStore: parts.options.sessionStore,
        bus: parts.options.bus,
      });
      return await runPrimary({
        workers,
        host: http.host ?? "127.0.0.1",
        port: http.port ?? 8000,
        shutdownTimeoutMs: http.shutdownTimeoutMs ?? 10_000,
        owner,
        logger,
        onListening: http.onListening,
        signal: http.signal,
        listenFailure,
      });
    }
    return await runHttp(
      {
        endpoints: parts.endpoints,
        lifecycle: parts.lifecycle,
        engine: parts.engine,
        allowedHosts: parts.options.http?.allowedHosts,
        owner,
        logger,
        stores: [
          ["sessionStore", parts.options.sessionStore],
          ["bus", parts.options.bus],
          ["subscriptionStore", parts.options.subscriptionStore],
          ["taskStore", parts.options.taskStore],
        ],
      },
      http,
    );
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    // Not a bug to trace through the framework: one line that says what to do, and exit code 1.
    logger.error(error.message, ...(error.cause === undefined ? [] : [error.cause]));
    process.exitCode = 1;
    await parts.close();
  }
}

function runEnv(): RunEnv {
  try {
    return readRunEnv();
  } catch (error) {
    if (error instanceof EnvSettingError)
      throw new StartError(`The server could not start: ${error.message}`);
    throw error;
  }
}

/**
 * The run's options with the environment under them: a variable fills a
 * setting only when neither the run's options nor the server's (`path` and
 * `streamableHttpPath`, `allowedHosts` and `http.allowedHosts`, ...) give it.
 */
export function withEnv(run: HttpRunOptions, env: RunEnv, server: ServerOptions): HttpRunOptions {
  const http = server.http ?? {};
  const merged: HttpRunOptions = { ...run };
  merged.host ??= env.host;
  merged.port ??= env.port;
  merged.shutdownTimeoutMs ??= env.shutdownTimeoutMs;
  merged.workers ??= env.workers;
  merged.accessLog ??= env.accessLog;
  merged.health ??= env.health;
  if (server.streamableHttpPath === undefined) merged.path ??= env.path;
  if (server.statelessHttp === undefined) merged.statelessHttp ??= env.statelessHttp;
  if (server.jsonResponse === undefined) merged.jsonResponse ??= env.jsonResponse;
  if (http.allowedHosts === undefined) merged.allowedHosts ??= env.allowedHosts;
  if (http.allowedOrigins === undefined) merged.allowedOrigins ??= env.allowedOrigins;
  if (http.cors === undefined) merged.cors ??= env.cors;
  return merged;
}
