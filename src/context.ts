import type { RequestId } from "./protocol/jsonrpc.js";
import type { HttpInfo, RequestScope } from "./protocol/scope.js";
import type { ClientCapabilities, Implementation, LoggingLevel } from "./protocol/types.js";
import { LOGGING_LEVELS } from "./protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "./protocol/versions.js";

export const LOG_RANK: Readonly<Record<LoggingLevel, number>> = Object.fromEntries(
  LOGGING_LEVELS.map((level, rank) => [level, rank]),
) as Record<LoggingLevel, number>;

export interface LogOptions {
  /** The logger name clients show beside the message. */
  logger?: string;
  /** Structured fields sent with the message as `data`. */
  data?: Record<string, unknown>;
}

/** The legacy session a request belongs to (absent in the stateless 2026-07-28 era). */
export interface SessionContext {
  readonly id: string;
  /** Per-session state; keep it JSON-serializable so a shared store can hold it. */
  readonly state: Record<string, unknown>;
}

/**
 * How a handler talks back to the client: logs, progress, cancellation, and
 * what is known about the request. `L` is the lifespan's value.
 */
export class Context<L = unknown> {
  readonly #scope: RequestScope;
  readonly lifespan: L;

  constructor(scope: RequestScope, lifespan: L) {
    this.#scope = scope;
    this.lifespan = lifespan;
  }

  /** Aborts when the client cancels the request or the server shuts down. */
  get signal(): AbortSignal {
    return this.#scope.signal;
  }
  get requestId(): RequestId {
    return this.#scope.id;
  }
  get protocolVersion(): ProtocolVersion {
    return this.#scope.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.#scope.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities {
    return this.#scope.clientCapabilities;
  }
  get session(): SessionContext | undefined {
    return this.#scope.session;
  }
  get http(): HttpInfo | undefined {
    return this.#scope.http;
  }
  get auth(): unknown {
    return this.#scope.auth;
  }

  /** Sends `notifications/message` at `level`, if the client asked for that level. */
  async log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (LOG_RANK[level] < this.#scope.minLogRank) return;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    await this.#scope.notify("notifications/message", params);
  }

  #message(level: LoggingLevel, message: string, options: LogOptions | undefined): Promise<void> {
    const data = options?.data ? { message, ...options.data } : message;
    return this.log(level, data, options?.logger);
  }

  debug(message: string, options?: LogOptions): Promise<void> {
    return this.#message("debug", message, options);
  }
  info(message: string, options?: LogOptions): Promise<void> {
    return this.#message("info", message, options);
  }
  notice(message: string, options?: LogOptions): Promise<void> {
    return this.#message("notice", message, options);
  }
  warning(message: string, options?: LogOptions): Promise<void> {
    return this.#message("warning", message, options);
  }
  error(message: string, options?: LogOptions): Promise<void> {
    return this.#message("error", message, options);
  }
  critical(message: string, options?: LogOptions): Promise<void> {
    return this.#message("critical", message, options);
  }
  alert(message: string, options?: LogOptions): Promise<void> {
    return this.#message("alert", message, options);
  }
  emergency(message: string, options?: LogOptions): Promise<void> {
    return this.#message("emergency", message, options);
  }

  /**
   * Sends `notifications/progress` for this request. Does nothing when the
   * client gave no progress token.
   */
  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    const token = this.#scope.progressToken;
    if (token === undefined) return;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined && versionAtLeast(this.#scope.protocolVersion, "2025-03-26")) {
      params.message = message;
    }
    await this.#scope.notify("notifications/progress", params);
  }
}
