import { LOG_RANK } from "../context.js";
import type { ServerCore } from "../core.js";
import type { SessionRecord } from "../state/session.js";
import { EngineScope, type InternalScope } from "./engine-scope.js";
import type { Envelope } from "./envelope.js";
import { McpError } from "./errors.js";
import { unavailableChannel } from "./input-channel.js";
import { ErrorCode, type RequestId } from "./jsonrpc.js";
import type { LazyAbort } from "./lazy-abort.js";
import {
  declaresModernMeta,
  META_PROTOCOL_VERSION,
  type ModernRequestMeta,
  parseModernMeta,
  readProgressToken,
} from "./meta.js";
import type { OutgoingRequests } from "./outgoing.js";
import type { Era } from "./versions.js";

const REQUEST_BEFORE_INITIALIZE =
  `Missing _meta["${META_PROTOCOL_VERSION}"]: send "initialize" first (protocol 2025-11-25 and earlier), ` +
  "or declare the protocol version and client capabilities in every request's _meta (2026-07-28)";

/**
 * Works out the era, version, client and session of each request and makes
 * its scope. One per engine, so a request pays for no more than its scope.
 */
export class ScopeBuilder {
  readonly #core: ServerCore;
  /** Legacy server-to-client requests: the `input` channel of a legacy scope. */
  readonly #outgoing: OutgoingRequests;

  constructor(core: ServerCore, outgoing: OutgoingRequests) {
    this.#core = core;
    this.#outgoing = outgoing;
  }

  /** Synchronous unless the session has to be loaded from the store: most requests wait for nothing. */
  scopeOf(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
  ): InternalScope | Promise<InternalScope> {
    const meta = params._meta;
    if (envelope.modernMeta || declaresModernMeta(meta)) {
      return this.#buildScope(
        id,
        method,
        params,
        envelope,
        controller,
        "modern",
        envelope.modernMeta ?? parseModernMeta(meta as Record<string, unknown>),
        undefined,
      );
    }
    if (!envelope.session && envelope.sessionId !== undefined)
      return this.#core.sessions
        .get(envelope.sessionId)
        .then((session) => this.#legacyScope(id, method, params, envelope, controller, session));
    return this.#legacyScope(id, method, params, envelope, controller, envelope.session);
  }

  #legacyScope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
    session: SessionRecord | undefined,
  ): InternalScope {
    if (
      !session &&
      method !== "initialize" &&
      method !== "ping" &&
      envelope.legacyVersion === undefined
    ) {
      throw new McpError(ErrorCode.InvalidParams, REQUEST_BEFORE_INITIALIZE);
    }
    return this.#buildScope(id, method, params, envelope, controller, "legacy", undefined, session);
  }

  #buildScope(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
    controller: LazyAbort,
    era: Era,
    modern: ModernRequestMeta | undefined,
    session: SessionRecord | undefined,
  ): InternalScope {
    const outbound = envelope.outbound;
    const scope: InternalScope = new EngineScope(controller, {
      id,
      method,
      params,
      era,
      protocolVersion:
        modern?.protocolVersion ??
        session?.protocolVersion ??
        envelope.legacyVersion ??
        "2025-11-25",
      clientInfo: modern ? modern.clientInfo : session?.clientInfo,
      clientCapabilities: modern ? modern.clientCapabilities : (session?.clientCapabilities ?? {}),
      minLogRank: modern
        ? modern.logLevel === undefined
          ? Number.POSITIVE_INFINITY
          : LOG_RANK[modern.logLevel]
        : session?.logLevel === undefined
          ? 0
          : LOG_RANK[session.logLevel],
      progressToken: modern ? modern.progressToken : readProgressToken(params._meta),
      session,
      http: envelope.http,
      auth: envelope.auth,
      notify: async (notificationMethod, notificationParams) => {
        if (controller.aborted) return;
        await outbound.send({
          jsonrpc: "2.0",
          method: notificationMethod,
          params: notificationParams,
        });
      },
      envelope,
      input:
        era === "legacy"
          ? envelope.noClientRequests !== undefined
            ? unavailableChannel(envelope.noClientRequests)
            : this.#outgoing.channel(
                outbound,
                envelope.sessionId ?? envelope.channelId,
                controller,
                this.#core.settings.clientRequestTimeoutMs,
              )
          : undefined,
      readResource: (uri) => this.#core.readResource(uri, scope),
      closeSSEStream: outbound.closeStream?.bind(outbound),
    });
    return scope;
  }
}
