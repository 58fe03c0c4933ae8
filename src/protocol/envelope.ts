import type { SessionRecord } from "../state/session.js";
import type { ModernRequestMeta } from "./meta.js";
import type { HttpInfo, Outbound } from "./scope.js";
import type { LegacyVersion } from "./versions.js";

/**
 * What a transport knows about an incoming message besides its body: where
 * replies and related notifications go, which legacy session it belongs to,
 * and the carrying HTTP request. One per message (HTTP) or per connection
 * (stdio, in-memory).
 */
export interface Envelope {
  /** Where this message's notifications go (and, for stdio, its response too). */
  readonly outbound: Outbound;
  /** Identifies the channel, so `notifications/cancelled` finds requests sent over it. */
  readonly channelId: string;
  /** The legacy session this message belongs to, if any. */
  readonly sessionId?: string | undefined;
  /** The session, when the transport already loaded it (saves a second store lookup). */
  readonly session?: SessionRecord | undefined;
  /** A 2026-07-28 request's `_meta`, when the transport already parsed and checked it. */
  readonly modernMeta?: ModernRequestMeta | undefined;
  /**
   * Called when `initialize` creates a session, so the transport can remember
   * it (and listen for what is sent to it); the handshake waits for it.
   * Without it, `initialize` answers but stores no session (stateless).
   */
  readonly bindSession?: ((sessionId: string) => void | Promise<void>) | undefined;
  /**
   * Why this carrier cannot take server-to-client requests (stateless HTTP),
   * so `ctx.elicit` and friends fail at once instead of waiting for an
   * answer that cannot arrive.
   */
  readonly noClientRequests?: string | undefined;
  /** How long a session created over this transport may stay idle (HTTP); absent: forever. */
  readonly sessionIdleTimeoutMs?: number | undefined;
  /** For transports that know a legacy version without a session (stateless HTTP). */
  readonly legacyVersion?: LegacyVersion | undefined;
  readonly http?: HttpInfo | undefined;
  readonly auth?: unknown;
  /** The runtime's `waitUntil` (`mcp.fetch` on Workers), for work that outlives the response. */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /** Aborts when the carrier goes away (HTTP response stream closed). */
  readonly signal?: AbortSignal | undefined;
  /**
   * The cheaper twin of `signal` for a carrier that serves one request (an
   * HTTP exchange): registers a listener called if the carrier goes away
   * before the response is finished. No AbortSignal is made unless a
   * handler reads `ctx.signal`.
   */
  readonly onCarrierClose?: ((listener: (reason: unknown) => void) => void) | undefined;
}
