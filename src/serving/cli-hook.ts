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
