import { clip } from "../util/echo.js";
import { McpError } from "./errors.js";
import { ErrorCode } from "./jsonrpc.js";
import type { ClientCapabilities, Implementation, LoggingLevel, ProgressToken } from "./types.js";
import { LOGGING_LEVELS } from "./types.js";
import { isModernVersion, MODERN_VERSIONS, type ModernVersion } from "./versions.js";

export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
export const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
export const META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
/** On every message of a `subscriptions/listen` stream: the listen request's id. */
export const META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

/** What a 2026-07-28 request says about itself in `params._meta`. */
export interface ModernRequestMeta {
  readonly protocolVersion: ModernVersion;
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly logLevel: LoggingLevel | undefined;
  readonly progressToken: ProgressToken | undefined;
}

const levels: ReadonlySet<string> = new Set(LOGGING_LEVELS);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A request is modern when its `_meta` declares a protocol version (the spec's dual-era rule). */
export function declaresModernMeta(meta: unknown): meta is Record<string, unknown> {
  return isRecord(meta) && META_PROTOCOL_VERSION in meta;
}

export function readProgressToken(meta: unknown): ProgressToken | undefined {
  if (!isRecord(meta)) return undefined;
  const token = meta.progressToken;
  return typeof token === "string" || (typeof token === "number" && Number.isFinite(token))
    ? token
    : undefined;
}

/** Validates a modern request's `_meta` as the 2026-07-28 schema requires. */
export function parseModernMeta(meta: Record<string, unknown>): ModernRequestMeta {
  const version = meta[META_PROTOCOL_VERSION];
  if (typeof version !== "string") {
    throw new McpError(
      ErrorCode.InvalidParams,
      `_meta["${META_PROTOCOL_VERSION}"] must be a string`,
    );
  }
  if (!isModernVersion(version)) {
    throw new McpError(ErrorCode.UnsupportedProtocolVersion, "Unsupported protocol version", {
      supported: [...MODERN_VERSIONS],
      requested: clip(version),
    });
  }
  const capabilities = meta[META_CLIENT_CAPABILITIES];
  if (!isRecord(capabilities)) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `_meta["${META_CLIENT_CAPABILITIES}"] is required and must be an object`,
    );
  }
  const info = meta[META_CLIENT_INFO];
  if (
    info !== undefined &&
    (!isRecord(info) || typeof info.name !== "string" || typeof info.version !== "string")
  ) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `_meta["${META_CLIENT_INFO}"] must be an object with string "name" and "version"`,
    );
  }
  const logLevel = meta[META_LOG_LEVEL];
  if (logLevel !== undefined && (typeof logLevel !== "string" || !levels.has(logLevel))) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `_meta["${META_LOG_LEVEL}"] must be one of ${LOGGING_LEVELS.join(", ")}`,
    );
  }
  return {
    protocolVersion: version,
    clientCapabilities: capabilities as ClientCapabilities,
    clientInfo: info as Implementation | undefined,
    logLevel: logLevel as LoggingLevel | undefined,
    progressToken: readProgressToken(meta),
  };
}
