import type { CliStart } from "./cli-start.ts";
import type { InstallSize } from "./extras.ts";
import type { WorkloadOutcome } from "./http-workload.ts";
import type { StdioResult } from "./stdio.ts";
import type { BundleSize } from "./worker-bundle.ts";

/** Everything one `npm run bench` measured, as written to .bench-out/results.json. */
export interface Results {
  readonly date: string;
  readonly machine: string;
  readonly node: string;
  readonly load: string;
  readonly plan: {
    readonly connections: number;
    readonly warmupSeconds: number;
    readonly seconds: number;
    readonly runs: number;
    readonly pinned: boolean;
  };
  readonly versions: Record<string, string>;
  /** workload id → framework id → outcome */
  readonly http: Record<string, Record<string, WorkloadOutcome>>;
  readonly stdio: Record<string, StdioResult | { readonly error: string }>;
  readonly coldStartMs: Record<string, readonly number[]>;
  readonly sessionBytes: Record<string, number>;
  /** Sessions opened per framework for `sessionBytes` (fewer than asked when one was slow). */
  readonly sessionsOpened: Record<string, number>;
  readonly sessionCount: number;
  readonly install: Record<string, InstallSize>;
  /** The `fastmcp-ts` command's start over stdio (full runs only). */
  readonly cliStart?: CliStart | undefined;
  /** What a Cloudflare Worker loads (every run). */
  readonly workerBundle?: readonly BundleSize[] | undefined;
}
