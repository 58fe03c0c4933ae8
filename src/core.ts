import type { Prompt } from "./components/prompt.js";
import type { ComponentRegistry } from "./components/registry.js";
import type { Resource } from "./components/resource.js";
import type { ResourceTemplate } from "./components/resource-template.js";
import type { Tool } from "./components/tool.js";
import type { Logger } from "./logger.js";
import type { RequestScope } from "./protocol/scope.js";
import type { Telemetry } from "./protocol/telemetry.js";
import type { Implementation, ReadResourceResult } from "./protocol/types.js";
import type { Bus } from "./state/bus.js";
import type { SessionStore } from "./state/session.js";
import type { SubscriptionStore } from "./state/subscriptions.js";
import type { TaskStore } from "./state/tasks.js";

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
  /** Tasks of the tasks extension: their lifetime, the poll interval suggested to clients, the lease of the process running one. */
  readonly tasks: {
    readonly ttlMs: number;
    readonly pollIntervalMs: number;
    readonly leaseMs: number;
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
  /** Resources with a fixed URI, keyed by URI. */
  readonly resources: ComponentRegistry<Resource>;
  /** Resources whose URI is a template, keyed by the template. */
  readonly templates: ComponentRegistry<ResourceTemplate>;
  readonly prompts: ComponentRegistry<Prompt>;
  readonly sessions: SessionStore;
  /** Legacy-era `resources/subscribe` subscriptions. */
  readonly subscriptions: SubscriptionStore;
  readonly bus: Bus;
  /** Tasks of the tasks extension (2026-07-28). */
  readonly taskStore: TaskStore;
  readonly logger: Logger;
  /** The lifespan's value; valid once the server has started. */
  readonly lifespan: unknown;
  /** Derived from what is registered; recomputed when that changes. */
  capabilities(): Record<string, unknown>;
  /** Prefixes this server's bus topics: the same in every process that serves it. */
  readonly busPrefix: string;
  /** Tracing and metrics (`telemetry` option); undefined: none, at the cost of one branch. */
  readonly telemetry?: Telemetry | undefined;
  /**
   * Reads a resource by URI for a request (`resources/read`; later
   * `ctx.readResource`). Throws the era's "Resource not found" `McpError`
   * for a URI nothing serves or whose handler returned nothing.
   */
  readResource(uri: string, scope: RequestScope): Promise<ReadResourceResult>;
  /**
   * The scopes a request's target needs: the `scopes` of the tool
   * (`tools/call`), prompt (`prompts/get`) or resource or template that
   * serves the URI (`resources/read`); undefined when there is none.
   */
  scopesFor(method: string, target: string): readonly string[] | undefined;
}
