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
  /**
   * Called when `initialize` creates a session, so the transport can remember
   * it (and listen for what is sent to it); the handshake waits for it.
   */
  readonly bindSession?: ((sessionId: string) => void | Promise<void>) | undefined;
  /** For transports that know a legacy version without a session (stateless HTTP). */
  readonly legacyVersion?: LegacyVersion | undefined;
  readonly http?: HttpInfo | undefined;
  readonly auth?: unknown;
  /** Aborts when the carrier goes away (HTTP response stream closed). */
  readonly signal?: AbortSignal | undefined;
}
