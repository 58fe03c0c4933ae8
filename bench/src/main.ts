/**
 * `npm run bench`: fastmcp-ts side by side with its peers and a bare node:http
 * ceiling. See bench/README.md. Flags:
 *   --smoke               one short run of one workload (fastmcp-ts and the ceiling)
 *   --only=a,b            frameworks (ids in frameworks.ts)
 *   --workloads=a,b       HTTP workloads (ids in workloads.ts); "none" for none
 *   --seconds=N --runs=N --warmup=N --connections=N
 *   --no-extras           skip stdio, cold start, session memory, install size
 *   --sessions=N          sessions for the memory figure (default 10000)
 *   --profile             run fastmcp-ts servers with --cpu-prof (profiles in .bench-out/prof)
 *   --no-write            do not write docs/benchmarks.md
 *   --report              rewrite docs/benchmarks.md from the last run (.bench-out/results.json)
 *   --soak                only the soak: one fastmcp-ts server under a mixed load, its memory
 *                         sampled for a growth trend; writes the report's "Soak" section
 *   --soak-seconds=N      how long the soak's load runs (default 180)
 *   --abuse               only the abuse run: a normal call's latency while abusive clients
 *                         work on the server; writes the report's "Under abuse" section
 *   --abuse-seconds=N     each of its measured windows (default 30)
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ABUSE_DEFAULTS, abuse } from "./abuse.ts";
import { ABUSE_HEADING, abuseSection } from "./abuse-report.ts";
import { type CliStart, cliStart } from "./cli-start.ts";
import { closeClient } from "./client.ts";
import { coldStart, installSize, sessionMemory } from "./extras.ts";
import { FRAMEWORKS, versionOf } from "./frameworks.ts";
import { benchHttp, measuredFor, type WorkloadOutcome } from "./http-workload.ts";
import { haveWrk } from "./load.ts";
import { OUT_DIR, ROOT_DIR } from "./paths.ts";
import {
  markdown,
  measuredTargets,
  replaceSection,
  SOAK_HEADING,
  sectionOf,
  soakSection,
} from "./report.ts";
import type { Results } from "./results.ts";
import { LOAD_CORE, PINNED } from "./server-process.ts";
import { SOAK_DEFAULTS, soak } from "./soak.ts";
import { benchStdio, type StdioResult } from "./stdio.ts";
import { overBudget, workerBundleSizes } from "./worker-bundle.ts";
import { WORKLOADS } from "./workloads.ts";

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(prefix));
  if (hit === undefined) return undefined;
  return hit.startsWith(prefix) ? hit.slice(prefix.length) : "true";
}
const number = (name: string, fallback: number) => Number(flag(name) ?? fallback);
const list = (name: string) => flag(name)?.split(",").filter(Boolean);

const REPORT = join(ROOT_DIR, "docs", "benchmarks.md");
const log = (message: string) => process.stderr.write(`${message}\n`);

/**
 * Writes the report, keeping the Soak and Under abuse sections the file has:
 * each is a measurement of its own (`--soak`, `--abuse`), dated, which other
 * runs leave as it is.
 */
function writeReport(text: string): void {
  const previous = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "";
  let report = text;
  for (const heading of [SOAK_HEADING, ABUSE_HEADING])
    report = replaceSection(report, heading, sectionOf(previous, heading));
  writeFileSync(REPORT, report);
}

// --report: write docs/benchmarks.md again from the last run's results, measuring nothing.
if (flag("report") !== undefined) {
  const last = JSON.parse(readFileSync(join(OUT_DIR, "results.json"), "utf8")) as Results;
  writeReport(markdown(last));
  process.exit(0);
}

/**
 * The end of a run that owns one dated section of the report (--soak,
 * --abuse): its raw result to .bench-out, its section in place of the
 * report's (the rest stays as it is), the section on stdout, exit 0 or 1.
 */
function finishSectionRun(
  id: string,
  name: string,
  result: { readonly passed: boolean; readonly reasons: readonly string[] },
  heading: string,
  section: string,
): never {
  closeClient();
  writeFileSync(join(OUT_DIR, `${id}.json`), `${JSON.stringify(result, null, 2)}\n`);
  if (flag("no-write") === undefined) {
    const previous = existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "# Benchmarks\n";
    writeFileSync(REPORT, replaceSection(previous, heading, section));
    // scripts/bench.mjs lays the report's tables out only after a run that succeeded.
    if (!result.passed) formatReport();
  }
  process.stdout.write(section);
  log(result.passed ? `${name} passed` : `${name} failed: ${result.reasons.join("; ")}`);
  process.exit(result.passed ? 0 : 1);
}

// --soak: the soak alone; its section replaces the report's (the rest stays as it is).
if (flag("soak") !== undefined) {
  if (PINNED)
    execFileSync("taskset", ["-p", "-c", LOAD_CORE, String(process.pid)], { stdio: "ignore" });
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await soak(
    { ...SOAK_DEFAULTS, seconds: number("soak-seconds", SOAK_DEFAULTS.seconds) },
    {
      date: new Date().toISOString().slice(0, 10),
      commit: commit(),
      node: process.version,
      machine: machine(),
    },
    log,
  );
  finishSectionRun("soak", "Soak", result, SOAK_HEADING, soakSection(result));
}

// --abuse: the abuse run alone; its section replaces the report's (the rest stays as it is).
if (flag("abuse") !== undefined) {
  if (!(await haveWrk())) {
    log("wrk is not installed. On Debian or Ubuntu: apt-get install wrk");
    process.exit(2);
  }
  if (PINNED)
    execFileSync("taskset", ["-p", "-c", LOAD_CORE, String(process.pid)], { stdio: "ignore" });
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await abuse(
    { ...ABUSE_DEFAULTS, seconds: number("abuse-seconds", ABUSE_DEFAULTS.seconds) },
    {
      date: new Date().toISOString().slice(0, 10),
      commit: commit(),
      node: process.version,
      machine: machine(),
    },
    log,
  );
  finishSectionRun("abuse", "Abuse run", result, ABUSE_HEADING, abuseSection(result));
}

const smoke = flag("smoke") !== undefined;
const frameworks = FRAMEWORKS.filter(
  (f) => (list("only") ?? (smoke ? ["fastmcp-ts", "bare"] : undefined))?.includes(f.id) ?? true,
);
const workloadIds = list("workloads") ?? (smoke ? ["call-legacy"] : undefined);
const workloads = WORKLOADS.filter((w) => workloadIds?.includes(w.id) ?? true);
const plan = {
  connections: number("connections", 50),
  warmupSeconds: number("warmup", smoke ? 1 : 2),
  seconds: number("seconds", smoke ? 2 : 5),
  runs: number("runs", smoke ? 1 : 3),
  pinned: PINNED,
};
const extras = !smoke && flag("no-extras") === undefined;
const sessionCount = number("sessions", 10_000);
const profile = flag("profile") !== undefined;
const write = !smoke && flag("no-write") === undefined;

/** Cold starts measured per server (the median is reported). */
const COLD_STARTS = 9;

if (!(await haveWrk())) {
  log("wrk is not installed. On Debian or Ubuntu: apt-get install wrk");
  process.exit(2);
}
// The harness (checks, sessions, stdio client) stays off the server's core too.
if (PINNED)
  execFileSync("taskset", ["-p", "-c", LOAD_CORE, String(process.pid)], { stdio: "ignore" });
mkdirSync(OUT_DIR, { recursive: true });

const versions: Record<string, string> = {};
for (const framework of FRAMEWORKS)
  for (const name of framework.packages) versions[name] = versionOf(name, framework.modulesDir);

const started = performance.now();
const http: Record<string, Record<string, WorkloadOutcome>> = {};
for (const workload of workloads) {
  http[workload.id] = await benchHttp(
    frameworks,
    workload,
    {
      ...plan,
      nodeFlags: (framework) =>
        profile && framework.ours
          ? ["--cpu-prof", `--cpu-prof-dir=${join(OUT_DIR, "prof", workload.id)}`]
          : [],
    },
    (framework, outcome) =>
      log(
        `${workload.id.padEnd(12)} ${framework.id.padEnd(11)} ${
          outcome.kind === "measured"
            ? outcome.runs
                .map((r) => `${Math.round(r.rps)} req/s p50 ${r.p50Ms} p99 ${r.p99Ms}`)
                .join(" | ")
            : `n/a: ${outcome.reason.slice(0, 160)}`
        }`,
      ),
  );
}

const stdio: Record<string, StdioResult | { error: string }> = {};
const coldStartMs: Record<string, number[]> = {};
const sessionBytes: Record<string, number> = {};
const sessionsOpened: Record<string, number> = {};
const install: Results["install"] = {};
let cliStartMs: CliStart | undefined;
if (extras) {
  for (const framework of frameworks) {
    try {
      stdio[framework.id] = await benchStdio(framework, plan.warmupSeconds, plan.seconds);
    } catch (error) {
      stdio[framework.id] = { error: (error as Error).message };
    }
    log(`stdio        ${framework.id.padEnd(11)} ${JSON.stringify(stdio[framework.id])}`);
  }
  // One unmeasured start each first, so every measured one finds the files in the page
  // cache; then the starts go round the servers in turn, like the load runs.
  for (const framework of frameworks) {
    await coldStart(framework);
    coldStartMs[framework.id] = [];
  }
  for (let i = 0; i < COLD_STARTS; i++)
    for (const framework of frameworks) coldStartMs[framework.id]?.push(await coldStart(framework));
  for (const framework of frameworks)
    log(
      `cold start   ${framework.id.padEnd(11)} ${coldStartMs[framework.id]?.map((r) => r.toFixed(1)).join(" ")} ms`,
    );
  for (const framework of frameworks) {
    try {
      const memory = await sessionMemory(framework, sessionCount);
      sessionBytes[framework.id] = memory.bytesPerSession;
      sessionsOpened[framework.id] = memory.sessions;
    } catch (error) {
      log(`sessions     ${framework.id.padEnd(11)} failed: ${(error as Error).message}`);
      continue;
    }
    log(
      `sessions     ${framework.id.padEnd(11)} ${sessionBytes[framework.id]?.toFixed(0)} B each over ${sessionsOpened[framework.id]}`,
    );
  }
  for (const framework of frameworks) install[framework.id] = installSize(framework);
  try {
    cliStartMs = await cliStart(COLD_STARTS);
    log(
      `cli start    node ${cliStartMs.node.map((r) => r.toFixed(1)).join(" ")} | run ${cliStartMs.cli.map((r) => r.toFixed(1)).join(" ")} | run .mts ${cliStartMs.cliTypeScript.map((r) => r.toFixed(1)).join(" ")} ms`,
    );
  } catch (error) {
    log(`cli start    failed: ${(error as Error).message}`);
  }
}
closeClient();
const workerBundle = await workerBundleSizes();
for (const size of workerBundle)
  log(
    `worker bundle ${size.id.padEnd(10)} ${size.rawBytes} B raw, ${size.gzipBytes} B gzip (budget ${size.budgetGzipBytes})`,
  );

const results: Results = {
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  node: process.version,
  load: wrkVersion(),
  plan,
  versions,
  http,
  stdio,
  coldStartMs,
  sessionBytes,
  sessionsOpened,
  sessionCount,
  install,
  cliStart: cliStartMs,
  workerBundle,
};
writeFileSync(join(OUT_DIR, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
const report = markdown(results);
if (write) writeReport(report);
process.stdout.write(report);
for (const { label, targets } of measuredTargets(results))
  log(`\nTargets, ${label}: ${targets.filter((t) => !t.met).length} missed`);
log(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// A wrong or refused answer from one of our own servers is a bug, not a figure:
// the run fails (this is what the smoke pass in CI guards).
const ourFailures = Object.entries(http).flatMap(([workload, row]) => {
  const measured = WORKLOADS.find((w) => w.id === workload);
  return frameworks
    .filter((f) => f.ours && row[f.id]?.kind === "unsupported")
    .filter((f) => measured === undefined || measuredFor(f, measured))
    .map((f) => `${workload} ${f.id}`);
});
if (ourFailures.length > 0) {
  log(`fastmcp-ts failed its answer checks: ${ourFailures.join(", ")}`);
  process.exit(1);
}
const overweight = overBudget(workerBundle);
if (overweight.length > 0) {
  log(`Worker bundle over budget (bench/src/worker-bundle.ts): ${overweight.join("; ")}`);
  process.exit(1);
}

/** Lays the report's tables out the way the linter wants them (as scripts/bench.mjs does). */
function formatReport(): void {
  try {
    execFileSync(join(ROOT_DIR, "node_modules", ".bin", "biome"), ["format", "--write", REPORT], {
      stdio: "ignore",
    });
  } catch {
    log("Could not format docs/benchmarks.md: run npx biome format --write docs/benchmarks.md");
  }
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${execFileSync("uname", ["-r"]).toString().trim()}`;
}

/** The checked-out commit, and whether the tree has changes on top of it. */
function commit(): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: ROOT_DIR, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  try {
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") ? " (with uncommitted changes)" : ""}`;
  } catch {
    return "unknown";
  }
}

function wrkVersion(): string {
  try {
    execFileSync("wrk", ["--version"], { stdio: "pipe" });
  } catch (error) {
    const out = String((error as { stdout?: Buffer }).stdout ?? "");
    const match = /wrk (\S+)/.exec(out);
    if (match) return `wrk ${match[1]}`;
  }
  return "wrk";
}
