import { type Logger, SAID_IN_MESSAGE } from "../logger.js";
import type { Middleware } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { targetOf } from "./identity.js";
import { codeOfError, type RequestStatus, statusOfResult } from "./outcome.js";

/** One request's log line, as fields. Never a token; arguments only when asked for. */
export interface RequestLogEntry {
  readonly method: string;
  /** The tool or prompt name, or the resource URI, the request names. */
  readonly target?: string;
  readonly id: string | number;
  readonly status: RequestStatus;
  /** The JSON-RPC error code, when `status` is `"error"`. */
  readonly errorCode?: number;
  readonly durationMs: number;
  readonly era: "legacy" | "modern";
  readonly protocolVersion: string;
  readonly sessionId?: string;
  /** The client's `name/version`, as it declared them. */
  readonly client?: string;
  /** The token's subject (`sub`), else its client id; absent without authentication. */
  readonly subject?: string;
  /** The peer's address over HTTP, where the runtime gives it (behind a proxy, the proxy's). */
  readonly address?: string;
  /** The call's arguments, only with `includeArguments: true`. */
  readonly arguments?: unknown;
}

export interface LoggingOptions {
  /** Where the line goes: a `Logger` (e.g. `mcp.logger`) gets it at `level` with the fields. */
  readonly logger?: Logger;
  /** Or a function that takes the fields (a metrics pipeline, a test). */
  readonly sink?: (entry: RequestLogEntry) => void;
  /** The logger level of successful requests (default `info`); failed ones are `warn`. */
  readonly level?: "debug" | "info";
  /** Put the arguments of calls, reads and prompts in the line (default false: they may hold secrets). */
  readonly includeArguments?: boolean;
}

const KEYS = {
  logger: true,
  sink: true,
  level: true,
  includeArguments: true,
} as const satisfies KeyList<LoggingOptions>;

/**
 * One structured line per request: method, target, status or error code,
 * duration, session, client, principal subject and peer address.
 */
export function logging(options: LoggingOptions): Middleware {
  checkOptionsObject(options, "logging()", "options");
  if (options === undefined)
    throw new TypeError(
      "logging() needs { logger } or { sink }, e.g. logging({ logger: mcp.logger })",
    );
  checkKnownKeys(options, KEYS, { owner: "logging()" });
  const { logger, sink, level = "info", includeArguments = false } = options;
  if (logger === undefined && sink === undefined)
    throw new TypeError(
      "logging() needs { logger } or { sink }, e.g. logging({ logger: mcp.logger })",
    );
  if (sink !== undefined && typeof sink !== "function")
    throw new TypeError("logging(): sink must be a function");
  if (level !== "debug" && level !== "info")
    throw new TypeError('logging(): level must be "debug" or "info"');
  const write = (entry: RequestLogEntry): void => {
    sink?.(entry);
    if (!logger) return;
    // The human format prints the line alone; JSON and other loggers get every field.
    const fields = Object.assign({ [SAID_IN_MESSAGE]: true }, entry);
    if (entry.status === "error") logger.warn(lineOf(entry), fields);
    else logger[level](lineOf(entry), fields);
  };
  return async (request, next) => {
    const start = performance.now();
    try {
      const result = await next();
      write(entryOf(request, statusOfResult(result), undefined, start, includeArguments));
      return result;
    } catch (error) {
      write(entryOf(request, "error", codeOfError(error), start, includeArguments));
      throw error;
    }
  };
}

/** `tools/call forecast ok 3.2ms client=claude-ai/0.1.0 session=… subject=alice` */
function lineOf(entry: RequestLogEntry): string {
  let line = entry.method;
  if (entry.target !== undefined) line += ` ${entry.target}`;
  line += ` ${entry.status}`;
  if (entry.errorCode !== undefined) line += ` ${entry.errorCode}`;
  line += ` ${entry.durationMs.toFixed(1)}ms`;
  if (entry.client !== undefined) line += ` client=${entry.client}`;
  if (entry.sessionId !== undefined) line += ` session=${entry.sessionId}`;
  if (entry.subject !== undefined) line += ` subject=${entry.subject}`;
  if (entry.address !== undefined) line += ` address=${entry.address}`;
  return line;
}

function entryOf(
  request: RequestScope,
  status: RequestStatus,
  errorCode: number | undefined,
  start: number,
  includeArguments: boolean,
): RequestLogEntry {
  const entry: {
    -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K];
  } = {
    method: request.method,
    id: request.id,
    status,
    durationMs: Math.round((performance.now() - start) * 1000) / 1000,
    era: request.era,
    protocolVersion: request.protocolVersion,
  };
  const target = targetOf(request);
  if (target !== undefined) entry.target = target;
  if (errorCode !== undefined) entry.errorCode = errorCode;
  if (request.session) entry.sessionId = request.session.id;
  const info = request.clientInfo;
  if (info) entry.client = `${info.name}/${info.version}`;
  const auth = request.auth as { subject?: unknown; clientId?: unknown } | undefined;
  if (typeof auth === "object" && auth !== null) {
    const subject = auth.subject ?? auth.clientId;
    if (typeof subject === "string") entry.subject = subject;
  }
  const address = request.http?.remoteAddress;
  if (address !== undefined) entry.address = address;
  if (includeArguments && request.params.arguments !== undefined)
    entry.arguments = request.params.arguments;
  return entry;
}
