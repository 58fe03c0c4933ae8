import type { ComponentRegistry } from "./components/registry.js";
import type { Tool } from "./components/tool.js";
import type { Logger } from "./logger.js";
import type { Implementation } from "./protocol/types.js";
import type { Bus } from "./state/bus.js";
import type { SessionStore } from "./state/session.js";

/** Client-side caching hints on 2026-07-28 list and read results. */
export interface CacheHints {
  /** How long a client may reuse the result, in milliseconds. Default 0. */
  ttlMs: number;
  /** `public`: no user-specific data; `private`: one authorization context only. Default `private`. */
  scope: "public" | "private";
}

/** The server's settings after defaults are applied. */
export interface ResolvedSettings {
  readonly pageSize: number | undefined;
  readonly maskErrorDetails: boolean;
  readonly cache: CacheHints;
  /** Legacy era: how long a server-to-client request waits for the client. */
  readonly clientRequestTimeoutMs: number;
  /** 2026-07-28: how `requestState` is sealed and how long it stays valid. */
  readonly requestState: {
    readonly secret: string | Uint8Array | undefined;
    readonly ttlMs: number;
  };
}

/**
 * What request handlers need from a server: its identity, components, state
 * stores and settings. `FastMCP` is the public face of one of these.
 */
export interface ServerCore {
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  readonly settings: ResolvedSettings;
  readonly tools: ComponentRegistry<Tool>;
  readonly sessions: SessionStore;
  readonly bus: Bus;
  readonly logger: Logger;
  /** The lifespan's value; valid once the server has started. */
  readonly lifespan: unknown;
  /** Derived from what is registered; recomputed when that changes. */
  capabilities(): Record<string, unknown>;
  /** A topic name unique to this server, for the bus. */
  readonly busPrefix: string;
}
