/**
 * `npm run bench -- --abuse`: a normal `tools/call`'s latency and throughput
 * while abusive clients (abusers.ts, in a child process) hold connections
 * open with unfinished headers or bodies, drop a thousand connections at a
 * time mid-request, and upload oversized bodies. Windows with and without
 * abuse alternate, so each abuse is compared with the baselines measured
 * just before and after it. See bench/README.md, "Under abuse".
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { loadavg, setPriority } from "node:os";
import { join } from "node:path";
import type { ChildMessage } from "./abuse-child.ts";
import type { AbuseKind, AbuserTally } from "./abusers.ts";
import { post } from "./client.ts";
import { FRAMEWORKS } from "./frameworks.ts";
import { type LoadResult, load } from "./load.ts";
import { legacyCall, messagesOf } from "./messages.ts";
import { BENCH_DIR } from "./paths.ts";
import { ServerProcess } from "./server-process.ts";
import { WORKLOADS } from "./workloads.ts";

export interface AbusePlan {
  /** Each measured window, with or without abuse. */
  readonly seconds: number;
  /** How long the abusers run before a window starts, so it meets them in full swing. */
  readonly rampSeconds: number;
  readonly warmupSeconds: number;
  /** The normal client's connections (wrk, keep-alive, one request in flight on each). */
  readonly connections: number;
  /** Set on the server: `run()`'s defaults. */
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

export const ABUSE_DEFAULTS = {
  seconds: 30,
  rampSeconds: 5,
  // The first window after a short warm-up ran slower than the rest (V8 still optimising).
  warmupSeconds: 15,
  connections: 10,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
} satisfies AbusePlan;

export type Phase = "baseline" | AbuseKind | "all";
const KINDS: readonly AbuseKind[] = ["slowloris", "stalled", "trickled", "drops", "oversized"];

/** Every abuse between two baselines. */
export const PHASES: readonly Phase[] = [
  "baseline",
  ...[...KINDS, "all" as const].flatMap((phase) => [phase, "baseline" as const]),
];

/**
 * What each abuser must have seen for its window to count (else the abuse
 * did not happen), once it has run for longer than `afterMs` (the deadline
 * that answers it, and a second for the server's check).
 */
const EXPECTED: Record<
  AbuseKind,
  {
    readonly status?: string;
    readonly what: string;
    readonly afterMs?: (plan: AbusePlan) => number;
  }
> = {
  slowloris: {
    status: "408",
    what: "a 408 for headers past headersTimeoutMs",
    afterMs: (plan) => plan.headersTimeoutMs + 1000,
  },
  stalled: {
    status: "408",
    what: "a 408 for a body past bodyTimeoutMs",
    afterMs: (plan) => plan.bodyTimeoutMs + 1000,
  },
  trickled: {
    status: "408",
    what: "a 408 for a body past bodyTimeoutMs",
    afterMs: (plan) => plan.bodyTimeoutMs + 1000,
  },
  drops: { what: "connections dropped" },
  oversized: { status: "413", what: "a 413" },
};

export interface ServerMemory {
  /** After two forced collections. */
  readonly heapUsed: number;
  readonly rss: number;
}

export interface PhaseResult {
  readonly phase: Phase;
  readonly load: LoadResult;
  /** Read at the end of the window, the abusers still at it. */
  readonly memory: ServerMemory;
  readonly tallies: Readonly<Record<string, AbuserTally>>;
  /** The machine's load average over the last minute, at the end of the window (ours included). */
  readonly machineLoad: number;
}

export interface AbuseResult {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly machine: string;
  readonly plan: AbusePlan;
  /** The idle server after the warm-up. */
  readonly before: ServerMemory;
  /** Once the last abusers were gone and the last window done. */
  readonly after: ServerMemory;
  readonly phases: readonly PhaseResult[];
  /** How the abusers were kept from taking the load core from the normal client. */
  readonly abuserPriority: string;
  readonly passed: boolean;
  readonly reasons: readonly string[];
}

const OURS = FRAMEWORKS.find((f) => f.id === "fastmcp-ts") as (typeof FRAMEWORKS)[number];
const CALL_LEGACY = WORKLOADS.find((w) => w.id === "call-legacy") as (typeof WORKLOADS)[number];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function abuse(
  plan: AbusePlan,
  about: { date: string; commit: string; node: string; machine: string },
  log: (line: string) => void,
): Promise<AbuseResult> {
  const server = await ServerProcess.start(OURS, CALL_LEGACY.server, {
    nodeFlags: ["--expose-gc"],
    env: {
      HEADERS_TIMEOUT_MS: String(plan.headersTimeoutMs),
      BODY_TIMEOUT_MS: String(plan.bodyTimeoutMs),
    },
  });
  const died = new Promise<never>((_, reject) =>
    server.child.once("exit", (code, signal) =>
      reject(new Error(`the server exited (${signal ?? `code ${code}`}):\n${server.stderrTail}`)),
    ),
  );
  died.catch(() => undefined);
  const alive = <T>(work: Promise<T>) => Promise.race([work, died]);
  try {
    const exchange = legacyCall();
    // The answer is checked in full once; wrk then holds every answer to be this text.
    const answer = await post(server.url, exchange);
    const problem = CALL_LEGACY.check(
      answer.contentType,
      messagesOf(answer.contentType, answer.text),
    );
    if (answer.status !== 200 || problem !== undefined)
      throw new Error(`the normal call is answered wrongly (HTTP ${answer.status}): ${problem}`);
    const window = (seconds: number) =>
      alive(
        load(server.url, exchange, { connections: plan.connections, seconds, expect: answer.text }),
      );
    await window(plan.warmupSeconds);
    const before = await alive(memoryOf(server));
    const port = Number(new URL(server.url).port);
    const phases: PhaseResult[] = [];
    for (const phase of PHASES) {
      const kinds = phase === "baseline" ? [] : phase === "all" ? [...KINDS] : [phase];
      const child = kinds.length > 0 ? await alive(startAbusers(port, kinds)) : undefined;
      if (child) await sleep(plan.rampSeconds * 1000);
      const measured = await window(plan.seconds);
      const memory = await alive(memoryOf(server));
      const tallies = child ? await alive(stopAbusers(child)) : {};
      const machineLoad = loadavg()[0] ?? Number.NaN;
      phases.push({ phase, load: measured, memory, tallies, machineLoad });
      log(
        `abuse ${phase.padEnd(9)} ${Math.round(measured.rps)} calls/s  p50 ${measured.p50Ms} ms  p99 ${measured.p99Ms} ms  wrong ${measured.wrong}  errors ${measured.errors}  rss ${mb(memory.rss)}  heap ${mb(memory.heapUsed)}${Object.entries(
          tallies,
        )
          .map(([kind, t]) => `  ${kind}: ${t.opened} opened ${JSON.stringify(t.answers)}`)
          .join("")}`,
      );
      // What the abusers left (closed sockets, dropped calls) is dealt with before the next window.
      await sleep(2000);
    }
    await sleep(3000);
    const after = await alive(memoryOf(server));
    return judge(plan, about, before, after, phases);
  } finally {
    await server.stop();
  }
}

/**
 * Whether the abusers can run as SCHED_IDLE (chrt): only when nothing else
 * wants the load core, so wrk (the normal client) is never kept waiting by
 * them and what the windows measure is the server. A plain low priority
 * (nice 19) is not enough: uploading at loopback speed, the abusers kept wrk
 * waiting for its core and halved its throughput on their own.
 */
const SCHED_IDLE = (() => {
  try {
    execFileSync("chrt", ["--idle", "0", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
export const ABUSER_PRIORITY = SCHED_IDLE ? "SCHED_IDLE (chrt --idle)" : "nice 19";

/** Starts the abusers on the load core, below the normal client, and waits for them. */
function startAbusers(port: number, kinds: readonly AbuseKind[]): Promise<ChildProcess> {
  const args = [
    "--import",
    "tsx",
    join(BENCH_DIR, "src", "abuse-child.ts"),
    String(port),
    "/mcp",
    ...kinds,
  ];
  const stdio = ["ignore", "inherit", "inherit", "ipc"] as const;
  const child = SCHED_IDLE
    ? spawn("chrt", ["--idle", "0", process.execPath, ...args], { stdio: [...stdio] })
    : spawn(process.execPath, args, { stdio: [...stdio] });
  if (!SCHED_IDLE)
    try {
      setPriority(child.pid as number, 19);
    } catch {
      // Not allowed here: the abusers then compete with the normal client as equals.
    }
  return new Promise((resolve, reject) => {
    child.once("message", (message: ChildMessage) =>
      message.type === "started" ? resolve(child) : reject(new Error("abusers did not start")),
    );
    child.once("exit", (code) => reject(new Error(`the abusers exited with ${code}`)));
  });
}

function stopAbusers(child: ChildProcess): Promise<Record<string, AbuserTally>> {
  return new Promise((resolve, reject) => {
    child.removeAllListeners("exit");
    child.once("message", (message: ChildMessage) => {
      // It exits by itself once it has reported; this is in case it does not.
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
      return message.type === "stopped"
        ? resolve(message.tallies)
        : reject(new Error("no tallies"));
    });
    // "close", not "exit": a message sent just before the exit is read by then.
    child.once("close", (code) =>
      reject(new Error(`the abusers exited with ${code} before reporting`)),
    );
    child.send("stop");
  });
}

async function memoryOf(server: ServerProcess): Promise<ServerMemory> {
  const line = server.nextLine("memory ");
  server.child.kill("SIGUSR2");
  const { heapUsed } = JSON.parse(await line) as { heapUsed: number };
  return { heapUsed, rss: server.rss() };
}

function judge(
  plan: AbusePlan,
  about: { date: string; commit: string; node: string; machine: string },
  before: ServerMemory,
  after: ServerMemory,
  phases: PhaseResult[],
): AbuseResult {
  const reasons: string[] = [];
  for (const { phase, load: l, tallies } of phases) {
    if (l.wrong > 0 || l.errors > 0)
      reasons.push(`${phase}: ${l.wrong} normal calls answered wrongly, ${l.errors} failed`);
    for (const [kind, tally] of Object.entries(tallies)) {
      const expected = EXPECTED[kind as AbuseKind];
      // A short run (--abuse-seconds) ends some abuses before their deadline.
      if ((expected.afterMs?.(plan) ?? 0) > (plan.rampSeconds + plan.seconds) * 1000) continue;
      const seen = expected.status ? (tally.answers[expected.status] ?? 0) : tally.dropped;
      if (seen === 0) reasons.push(`${phase}: the ${kind} abusers never saw ${expected.what}`);
    }
  }
  return {
    ...about,
    plan,
    before,
    after,
    phases,
    abuserPriority: ABUSER_PRIORITY,
    passed: reasons.length === 0,
    reasons,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
