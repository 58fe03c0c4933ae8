/**
 * `npm run bench -- --soak`: one fastmcp-ts server (servers/soak.mjs) under
 * the mixed workload of soak-workload.ts for minutes, its heap (after a
 * forced GC) and RSS sampled every few seconds, judged for a growth trend.
 * See bench/README.md, "Soak".
 */
import { FRAMEWORKS } from "./frameworks.ts";
import { ServerProcess } from "./server-process.ts";
import { KINDS, SoakLoad } from "./soak-workload.ts";
import { fitLine } from "./stats.ts";

export interface SoakPlan {
  /** How long the load runs. */
  readonly seconds: number;
  readonly sampleEverySeconds: number;
  /** The server's `http.sessionIdleTimeoutMs`. */
  readonly idleTimeoutMs: number;
  /** The soak fails when the heap after GC grows faster than this over the second half, KB/min. */
  readonly heapSlopeLimitKbPerMin: number;
}

export const SOAK_DEFAULTS = {
  seconds: 180,
  sampleEverySeconds: 3,
  idleTimeoutMs: 3000,
  heapSlopeLimitKbPerMin: 300,
} satisfies SoakPlan;

/** One reading, taken right after the server collected garbage twice. */
export interface MemorySample {
  /** Seconds since the load started. */
  readonly atSeconds: number;
  /** V8 heap in use (`process.memoryUsage().heapUsed`). */
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JS objects (buffers among them). */
  readonly external: number;
  readonly rss: number;
  /** Legacy sessions alive in the server's session store. */
  readonly sessions: number;
  /** Streams held by the server's event store. */
  readonly streams: number;
  /** Sessions the server's subscription store has subscribed to the soak's resource. */
  readonly subscribers: number;
}

/** A series' first, last and highest value, and its slope over the second half of the load. */
export interface Trend {
  readonly first: number;
  readonly last: number;
  readonly max: number;
  /** Least-squares slope over the samples of the load's second half, KB per minute. */
  readonly slopeKbPerMin: number;
  /** The slope's standard error, KB per minute: what noise alone makes of it. */
  readonly slopeErrorKbPerMin: number;
}

export interface SoakResult {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly machine: string;
  readonly plan: SoakPlan;
  /** Taken during the load (the first at its start). */
  readonly samples: readonly MemorySample[];
  /** Taken once the load stopped and every session's idle timeout had passed. */
  readonly settled: MemorySample;
  readonly heap: Trend;
  readonly rss: Trend;
  /** Requests answered as they should be, by kind (see `KINDS`). */
  readonly requests: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  readonly invalid: number;
  /** The first wrong answers, word for word. */
  readonly examples: readonly string[];
  readonly passed: boolean;
  /** Why it failed (empty when it passed). */
  readonly reasons: readonly string[];
}

const OURS = FRAMEWORKS.find((f) => f.id === "fastmcp-ts");
/** The soak server: fastmcp-ts (zod) with a slow tool, expiring sessions and SSE answers. */
const SOAK_SERVER = {
  ...(OURS as NonNullable<typeof OURS>),
  id: "fastmcp-ts-soak",
  script: "soak.mjs",
};

const KB = 1024;

/** Runs the soak; `log` gets a line per sample. */
export async function soak(
  plan: SoakPlan,
  about: { date: string; commit: string; node: string; machine: string },
  log: (line: string) => void,
): Promise<SoakResult> {
  const server = await ServerProcess.start(
    SOAK_SERVER,
    { tools: 1, stateful: true, response: "sse" },
    { nodeFlags: ["--expose-gc"], env: { SESSION_IDLE_MS: String(plan.idleTimeoutMs) } },
  );
  const died = new Promise<never>((_, reject) =>
    server.child.once("exit", (code, signal) =>
      reject(
        new Error(
          `the soak server exited (${signal ?? `code ${code}`}) during the run:\n${server.stderrTail}`,
        ),
      ),
    ),
  );
  died.catch(() => undefined);
  const load = new SoakLoad(server.url, plan.idleTimeoutMs);
  const samples: MemorySample[] = [];
  const started = performance.now();
  const take = async () => {
    const sample = await Promise.race([
      sampleOf(server, (performance.now() - started) / 1000),
      died,
    ]);
    log(
      `soak ${sample.atSeconds.toFixed(0).padStart(4)} s  heap ${mb(sample.heapUsed)}  rss ${mb(sample.rss)}  sessions ${sample.sessions}  streams ${sample.streams}  subscribers ${sample.subscribers}  requests ${total(load.tally.requests)}  errors ${load.tally.serverErrors + load.tally.invalid}`,
    );
    return sample;
  };
  try {
    samples.push(await take());
    const running = load.run();
    while (performance.now() - started < plan.seconds * 1000) {
      const wait = Math.min(
        plan.sampleEverySeconds * 1000,
        plan.seconds * 1000 - (performance.now() - started),
      );
      await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), died]);
      samples.push(await take());
    }
    load.stop();
    await Promise.race([running, died]);
    // Every session was last used by now: past the idle timeout and a sweep, none may be left.
    await Promise.race([
      new Promise((resolve) => setTimeout(resolve, plan.idleTimeoutMs * 1.5 + 1000)),
      died,
    ]);
    const settled = await take();
    return judge(plan, about, samples, settled, load);
  } finally {
    await server.stop();
  }
}

async function sampleOf(server: ServerProcess, atSeconds: number): Promise<MemorySample> {
  const line = server.nextLine("memory ");
  server.child.kill("SIGUSR2");
  const report = JSON.parse(await line) as {
    heapUsed: number;
    external: number;
    sessions: number;
    streams: number;
    subscribers: number;
  };
  return {
    atSeconds,
    heapUsed: report.heapUsed,
    external: report.external,
    rss: server.rss(),
    sessions: report.sessions,
    streams: report.streams,
    subscribers: report.subscribers,
  };
}

function trend(
  samples: readonly MemorySample[],
  of: (s: MemorySample) => number,
  from: number,
): Trend {
  const late = samples.filter((s) => s.atSeconds >= from);
  const fit = fitLine(
    late.map((s) => s.atSeconds),
    late.map(of),
  );
  return {
    first: of(samples[0] as MemorySample),
    last: of(samples.at(-1) as MemorySample),
    max: Math.max(...samples.map(of)),
    slopeKbPerMin: (fit.slope * 60) / KB,
    slopeErrorKbPerMin: (fit.standardError * 60) / KB,
  };
}

function judge(
  plan: SoakPlan,
  about: { date: string; commit: string; node: string; machine: string },
  samples: readonly MemorySample[],
  settled: MemorySample,
  load: SoakLoad,
): SoakResult {
  const half = plan.seconds / 2;
  const heap = trend(samples, (s) => s.heapUsed, half);
  const rss = trend(samples, (s) => s.rss, half);
  const { tally } = load;
  const reasons: string[] = [];
  if (!(heap.slopeKbPerMin <= plan.heapSlopeLimitKbPerMin))
    reasons.push(
      `heap after GC grew ${heap.slopeKbPerMin.toFixed(0)} KB/min over the second half (limit ${plan.heapSlopeLimitKbPerMin})`,
    );
  if (tally.serverErrors > 0) reasons.push(`${tally.serverErrors} answers with a 5xx status`);
  if (tally.invalid > 0) reasons.push(`${tally.invalid} wrong answers`);
  // Once every session has ended, nothing may be held for one.
  if (settled.sessions > 0)
    reasons.push(`${settled.sessions} sessions still alive after their idle timeout`);
  if (settled.streams > 0)
    reasons.push(`${settled.streams} event store streams still held after every session ended`);
  if (settled.subscribers > 0)
    reasons.push(
      `${settled.subscribers} resource subscriptions still held after every session ended`,
    );
  for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[])
    if (kind !== "cancelRaced" && kind !== "deleted" && !(tally.requests[kind] ?? 0))
      reasons.push(`no "${KINDS[kind]}" was answered right`);
  return {
    ...about,
    plan,
    samples,
    settled,
    heap,
    rss,
    requests: { ...tally.requests },
    serverErrors: tally.serverErrors,
    invalid: tally.invalid,
    examples: [...tally.examples],
    passed: reasons.length === 0,
    reasons,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const total = (counts: Readonly<Record<string, number>>) =>
  Object.values(counts).reduce((n, c) => n + c, 0);
