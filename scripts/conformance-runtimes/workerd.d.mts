import type { BuildOptions } from "esbuild";

export interface RunningWorker {
  /** `http://127.0.0.1:<port>`: the Worker answers every path under it. */
  readonly origin: string;
  stop(): Promise<void>;
  /** workerd's output so far. */
  log(): string;
}

export function workerBuildOptions(entry: string): BuildOptions;
export function bundleWorker(entry: string, options?: { minify?: boolean }): Promise<string>;
export function startWorkerd(
  entry: string,
  options?: { bindings?: Record<string, string>; timeoutMs?: number },
): Promise<RunningWorker>;
