import { ask, openSession } from "./client.ts";
import { type Framework, legacyVersionOf } from "./frameworks.ts";
import { type LoadResult, load } from "./load.ts";
import type { Exchange } from "./messages.ts";
import { ServerProcess } from "./server-process.ts";
import { oursOnly, type Workload } from "./workloads.ts";

export interface RunPlan {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly runs: number;
  /** Node flags for a framework's server (e.g. --cpu-prof). */
  readonly nodeFlags?: (framework: Framework) => readonly string[];
}

export type WorkloadOutcome =
  | { readonly kind: "measured"; readonly runs: readonly LoadResult[]; readonly rssAfter: number }
  | { readonly kind: "unsupported"; readonly reason: string };

interface Contender {
  readonly framework: Framework;
  readonly server: ServerProcess;
  /** The workload's request as this framework gets it. */
  readonly exchange: Exchange;
  readonly sessions: string[] | undefined;
  readonly runs: LoadResult[];
}

/** Opens the sessions a workload needs and checks one answer; the reason when it fails. */
async function prepare(
  server: ServerProcess,
  workload: Workload,
  exchange: Exchange,
  version: string,
  connections: number,
): Promise<{ sessions: string[] | undefined } | { reason: string }> {
  let sessions: string[] | undefined;
  try {
    if (workload.sessions) {
      sessions = [];
      for (let i = 0; i < connections; i++)
        sessions.push(await openSession(server.url, i, version));
    }
    const answer = await ask(server.url, exchange, sessions?.[0]);
    const problem =
      answer.status === 200
        ? workload.check(answer.contentType, answer.messages)
        : `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
    return problem === undefined ? { sessions } : { reason: problem };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

/**
 * Times one workload for every framework. Each server is checked for a right
 * answer and warmed up; then the runs go round the frameworks in turn, so a
 * disturbance on the machine spreads over all of them instead of one.
 */
export async function benchHttp(
  frameworks: readonly Framework[],
  workload: Workload,
  plan: RunPlan,
  onDone: (framework: Framework, outcome: WorkloadOutcome) => void = () => {},
): Promise<Record<string, WorkloadOutcome>> {
  const outcomes: Record<string, WorkloadOutcome> = {};
  const contenders: Contender[] = [];
  try {
    for (const framework of frameworks) {
      const only = oursOnly(workload.server);
      if (only !== undefined && !measuredFor(framework, workload)) {
        // Each peer verifies tokens its own way (or through middleware of the
        // user's choosing), and none has workers or Redis state to compare.
        outcomes[framework.id] = { kind: "unsupported", reason: only };
        onDone(framework, outcomes[framework.id] as WorkloadOutcome);
        continue;
      }
      const server = await ServerProcess.start(framework, workload.server, {
        nodeFlags: plan.nodeFlags?.(framework),
      });
      const version = legacyVersionOf(framework);
      const exchange = workload.exchange(version);
      const prepared = await prepare(server, workload, exchange, version, plan.connections);
      if ("reason" in prepared) {
        await server.stop();
        outcomes[framework.id] = { kind: "unsupported", reason: prepared.reason };
        onDone(framework, outcomes[framework.id] as WorkloadOutcome);
        continue;
      }
      contenders.push({ framework, server, exchange, sessions: prepared.sessions, runs: [] });
    }
    for (const c of contenders)
      if (plan.warmupSeconds > 0)
        await load(c.server.url, c.exchange, {
          connections: plan.connections,
          sessions: c.sessions,
          seconds: plan.warmupSeconds,
        });
    for (let run = 0; run < plan.runs; run++)
      for (const c of contenders)
        c.runs.push(
          await load(c.server.url, c.exchange, {
            connections: plan.connections,
            sessions: c.sessions,
            seconds: plan.seconds,
          }),
        );
    for (const c of contenders) {
      outcomes[c.framework.id] = { kind: "measured", runs: c.runs, rssAfter: c.server.rss() };
      onDone(c.framework, outcomes[c.framework.id] as WorkloadOutcome);
    }
  } finally {
    await Promise.all(contenders.map((c) => c.server.stop()));
  }
  // In the order of `frameworks`, whichever finished first.
  return Object.fromEntries(
    frameworks.flatMap((f) => (outcomes[f.id] ? [[f.id, outcomes[f.id]]] : [])),
  ) as Record<string, WorkloadOutcome>;
}

/**
 * Whether a workload is measured for a framework: a fastmcp-ts feature the
 * peers have no counterpart of (`oursOnly`) is measured for the zod server
 * and the floors only (the JSON Schema twin serves neither workers, Redis
 * nor tracing; bearer verification it does).
 */
export function measuredFor(framework: Framework, workload: Workload): boolean {
  if (oursOnly(workload.server) === undefined) return true;
  return (
    framework.id === "fastmcp-ts" ||
    framework.floor === true ||
    (framework.ours === true && workload.server.auth === true)
  );
}
