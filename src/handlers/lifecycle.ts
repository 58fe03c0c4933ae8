import { sessionPrincipal } from "../auth/principal.js";
import type { ServerCore } from "../core.js";
import type { InternalScope } from "../protocol/engine-scope.js";
import { invalidParams } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { RequestScope } from "../protocol/scope.js";
import { LOGGING_LEVELS, type LoggingLevel } from "../protocol/types.js";
import { MODERN_VERSIONS, negotiateLegacyVersion } from "../protocol/versions.js";
import { newSessionId, type SessionRecord } from "../state/session.js";
import { TASKS_EXTENSION } from "./task-state.js";

/** Legacy handshake: negotiates the version and creates the session the rest of the connection uses. */
export async function initialize(
  scope: InternalScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const { params } = scope;
  if (typeof params.protocolVersion !== "string") {
    throw invalidParams('initialize: "protocolVersion" must be a string');
  }
  if (params.capabilities !== undefined && !isRecord(params.capabilities)) {
    throw invalidParams('initialize: "capabilities" must be an object');
  }
  const clientInfo = params.clientInfo;
  if (!isRecord(clientInfo) || typeof clientInfo.name !== "string") {
    throw invalidParams('initialize: "clientInfo" must be an object with a string "name"');
  }
  const protocolVersion = negotiateLegacyVersion(params.protocolVersion);
  const now = Date.now();
  const session: SessionRecord = {
    id: newSessionId(),
    protocolVersion,
    clientInfo: clientInfo as unknown as SessionRecord["clientInfo"],
    clientCapabilities: (params.capabilities as SessionRecord["clientCapabilities"]) ?? {},
    logLevel: undefined,
    initialized: false,
    createdAt: now,
    lastActiveAt: now,
    idleTimeoutMs: scope.envelope.sessionIdleTimeoutMs,
    principal: sessionPrincipal(scope.auth),
    state: {},
  };
  // A transport that cannot carry a session (stateless HTTP) gets a handshake and nothing stored.
  const bind = scope.envelope.bindSession;
  if (bind) {
    await core.sessions.set(session);
    await bind(session.id);
    scope.trace?.set("mcp.session.id", session.id);
  }
  const result: Record<string, unknown> = {
    protocolVersion,
    capabilities: core.capabilities(),
    serverInfo: serverInfoFor(core, protocolVersion),
  };
  if (core.instructions !== undefined) result.instructions = core.instructions;
  return result;
}

/** `title` arrived in 2025-06-18; `icons`, `websiteUrl` and `description` in 2025-11-25. */
function serverInfoFor(core: ServerCore, version: string): Record<string, unknown> {
  const { name, version: serverVersion, title, icons, websiteUrl, description } = core.serverInfo;
  const info: Record<string, unknown> = { name, version: serverVersion };
  if (title !== undefined && version >= "2025-06-18") info.title = title;
  if (version >= "2025-11-25") {
    if (description !== undefined) info.description = description;
    if (websiteUrl !== undefined) info.websiteUrl = websiteUrl;
    if (icons !== undefined) info.icons = icons;
  }
  return info;
}

/** 2026-07-28: what the server speaks and offers, without a handshake. */
export function discover(_scope: RequestScope, core: ServerCore): Record<string, unknown> {
  const result: Record<string, unknown> = {
    supportedVersions: [...MODERN_VERSIONS],
    capabilities: withTasks(core),
  };
  if (core.instructions !== undefined) result.instructions = core.instructions;
  return result;
}

export function ping(): Record<string, unknown> {
  return {};
}

const levels: ReadonlySet<string> = new Set(LOGGING_LEVELS);

export async function setLogLevel(
  scope: RequestScope,
  core: ServerCore,
): Promise<Record<string, unknown>> {
  const level = scope.params.level;
  if (typeof level !== "string" || !levels.has(level)) {
    throw invalidParams(`logging/setLevel: "level" must be one of ${LOGGING_LEVELS.join(", ")}`);
  }
  const session = scope.session;
  if (session) {
    session.logLevel = level as LoggingLevel;
    await core.sessions.set(session);
  }
  return {};
}

/**
 * The tasks extension exists only in the 2026-07-28 era, so only discover
 * shows it, and only when some tool can run as a task.
 */
function withTasks(core: ServerCore): Record<string, unknown> {
  const capabilities = core.capabilities();
  if (!core.tools.enabled().some((tool) => tool.options.task !== undefined)) return capabilities;
  const extensions = isRecord(capabilities.extensions) ? capabilities.extensions : {};
  return { ...capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
}
