import type { Bus } from "../state/bus.js";
import type { SessionStore } from "../state/session.js";
import type { SubscriptionStore } from "../state/subscriptions.js";
import type { TransportHost } from "../transports/host.js";
import type { RunOptions } from "./run-options.js";

/**
 * How the `fastmcp-ts` command takes over a server file that calls
 * `mcp.run()` itself: while it loads the file, it puts a hook here, and
 * `run()` hands itself and its options to the hook instead of serving. A
 * global symbol, not a module variable, so the command and the user's file
 * find the same hook even when they load two copies of the package.
 */
const HOOK = Symbol.for("fastmcp-ts.cli.run-hook");

/** What `run()` gives the command: the server and its own options; resolves when the command's run ends. */
export type RunHook = (server: unknown, options: RunOptions) => Promise<void>;

export function runHook(): RunHook | undefined {
  return (globalThis as Record<symbol, RunHook | undefined>)[HOOK];
}

export function setRunHook(hook: RunHook | undefined): void {
  (globalThis as Record<symbol, RunHook | undefined>)[HOOK] = hook;
}

/**
 * How `fastmcp-ts dev` keeps clients connected across reloads. Each reload
 * constructs the file's server anew; while the command runs, this hook gives
 * every new server the stores it keeps for all of them (where the server's
 * options name none), so a session, a subscription or a GET stream's
 * listener outlives the code that made it, and it learns of each server's
 * host, which its long-lived HTTP endpoint hands requests to.
 */
const DEV_HOOK = Symbol.for("fastmcp-ts.cli.dev-hook");

export interface DevHook {
  readonly sessionStore: SessionStore;
  readonly bus: Bus;
  readonly subscriptionStore: SubscriptionStore;
  /** Called by every FastMCP constructed while the hook is set. */
  created(server: object, host: TransportHost): void;
}

export function devHook(): DevHook | undefined {
  return (globalThis as Record<symbol, DevHook | undefined>)[DEV_HOOK];
}

export function setDevHook(hook: DevHook | undefined): void {
  (globalThis as Record<symbol, DevHook | undefined>)[DEV_HOOK] = hook;
}
