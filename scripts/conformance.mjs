#!/usr/bin/env node
// Runs the official MCP conformance suites against examples/conformance-server.ts.
//
// The suites need Node >= 22 (they import fs.globSync); the devDependency `node`
// provides one at node_modules/node/bin/node. Our server runs on the user's own
// Node (see system-node.mjs), never on that one.
//
// Each run compares its results with a baseline, conformance/expected-failures-*.yml:
// it fails on any failure or warning the baseline does not list, and on any listed
// entry that now passes. Usage:
//   node scripts/conformance.mjs [--only <run>[,<run>]] [--verbose]
// Results (checks.json per scenario, each run's full output, the server's log)
// go to conformance/results/.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bunServer } from "./conformance-runtimes/bun.mjs";
import { denoServer } from "./conformance-runtimes/deno.mjs";
import { workersRun } from "./conformance-runtimes/workerd-run.mjs";
import { systemNode } from "./system-node.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = join(ROOT, "conformance", "results");
const require = createRequire(join(ROOT, "package.json"));
const RUN_TIMEOUT_MS = 5 * 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;

const STABLE = "@modelcontextprotocol/conformance";
const ALPHA = "conformance-alpha";

/**
 * The runs, in order. `args` follow `server --url <url>`. A run with `server`
 * serves the conformance server on another runtime, started for that run
 * alone, and is judged against the `baseline` of the Node run it repeats.
 */
const RUNS = [
  {
    name: "stable",
    title: "0.1.16, all scenarios (2025-11-25 wire)",
    cli: STABLE,
    args: ["--suite", "all"],
  },
  {
    name: "2025-11-25",
    title: "alpha, requirement set 2025-11-25 (legacy wire)",
    cli: ALPHA,
    args: ["--requirements", "2025-11-25"],
  },
  {
    name: "2026-07-28",
    title: "alpha, requirement set 2026-07-28 (modern wire)",
    cli: ALPHA,
    args: ["--requirements", "2026-07-28"],
  },
  {
    name: "alpha-all",
    title: "alpha, all scenarios incl. pending, draft, extensions",
    cli: ALPHA,
    args: ["--suite", "all"],
  },
  {
    name: "bun",
    title: "alpha, requirement set 2026-07-28, served by Bun.serve + mcp.fetch",
    cli: ALPHA,
    args: ["--requirements", "2026-07-28"],
    baseline: "2026-07-28",
    server: bunServer,
  },
  {
    name: "deno",
    title: "alpha, requirement set 2026-07-28, served by Deno.serve + mcp.fetch",
    cli: ALPHA,
    args: ["--requirements", "2026-07-28"],
    baseline: "2026-07-28",
    server: denoServer,
  },
  // Runs with `start` serve their own server (another runtime) instead of the Node one.
  workersRun,
];

function parseArgs(argv) {
  const options = { only: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--verbose") options.verbose = true;
    else if (arg === "--only") options.only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (arg.startsWith("--only=")) options.only = arg.slice(7).split(",").filter(Boolean);
    else fail(`Unknown argument "${arg}". Usage: conformance.mjs [--only <run>,...] [--verbose]`);
  }
  const known = RUNS.map((run) => run.name);
  for (const name of options.only ?? []) {
    if (!known.includes(name)) fail(`Unknown run "${name}"; runs are: ${known.join(", ")}`);
  }
  return options;
}

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(2);
}

/** The Node that runs the suites: node_modules/node (>= 22), or $CONFORMANCE_NODE. */
function suiteNode() {
  let path = process.env.CONFORMANCE_NODE;
  if (!path) {
    try {
      path = join(dirname(require.resolve("node/package.json")), "bin", "node");
    } catch {
      fail("the devDependency `node` (Node 22 for the suites) is missing; run `npm ci`");
    }
  }
  if (!existsSync(path))
    fail(`no Node binary at ${path}; run \`npm ci\` (its preinstall fetches it)`);
  return path;
}

function cliOf(pkg) {
  let manifest;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    fail(`the devDependency ${pkg} is missing; run \`npm ci\``);
  }
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  return { path: join(dirname(manifest), "dist", "index.js"), version };
}

/** Runs a command to completion, collecting its output. */
function collect(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal, output });
    });
  });
}

/**
 * Starts the conformance server on a free port (PORT=0; the server prints the
 * URL it got) and resolves with its URL and a stop function. On Node unless
 * `launch` (a run's `server`, see conformance-runtimes/) says otherwise.
 */
function startServer(logPath, launch) {
  const node = systemNode();
  const command = launch?.command ?? node;
  const commandArgs = launch?.args ?? ["--import", "tsx", "examples/conformance-server.ts"];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...launch?.env,
      PORT: "0",
      FASTMCP_LOG_LEVEL: process.env.FASTMCP_LOG_LEVEL ?? "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const record = (chunk) => {
    log += chunk;
  };
  child.stdout.on("data", record);
  child.stderr.on("data", record);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    writeFileSync(logPath, log);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the server did not start within ${SERVER_START_TIMEOUT_MS} ms:\n${log}`));
    }, SERVER_START_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({ url: match[1], stop, node });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${log}`));
    });
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the suite's ANSI colours
const ANSI = /\u001b\[[0-9;]*m/g;

/** The totals a run's output ends with. */
function readTotals(output) {
  const total = /Total: (\d+) passed, (\d+) failed/.exec(output.replace(ANSI, ""));
  return {
    passed: total ? Number(total[1]) : undefined,
    failed: total ? Number(total[2]) : undefined,
  };
}

/**
 * Reads a baseline: `server:` followed by `- scenario` or `- scenario:check-id`
 * lines, or `server: []`. Anything else is refused, so a typo cannot hide entries.
 */
function readBaseline(path) {
  const entries = [];
  let inServer = false;
  for (const [index, raw] of readFileSync(path, "utf8").split("\n").entries()) {
    const line = raw.replace(/#.*$/, "").trimEnd();
    if (line.trim() === "") continue;
    if (/^server:\s*(\[\s*\])?$/.test(line)) {
      inServer = !line.includes("[");
      continue;
    }
    const item = /^\s+-\s+([\w.-]+(?::[\w.-]+)?)$/.exec(line);
    if (!inServer || !item)
      fail(`${relative(ROOT, path)}:${index + 1}: cannot read "${raw.trim()}"`);
    entries.push(item[1]);
  }
  return entries;
}

const RANK = { FAILURE: 3, WARNING: 2, SUCCESS: 1 };
const failing = (status) => status === "FAILURE" || status === "WARNING";

/** Every scenario's checks from checks.json, each check id at its worst status (INFO ignored). */
function readChecks(outputDir) {
  const scenarios = new Map();
  if (!existsSync(outputDir)) return scenarios;
  for (const dir of readdirSync(outputDir)) {
    const file = join(outputDir, dir, "checks.json");
    if (!existsSync(file)) continue;
    const scenario = dir.replace(/^server-/, "").replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, "");
    const checks = scenarios.get(scenario) ?? new Map();
    for (const check of JSON.parse(readFileSync(file, "utf8"))) {
      if (check.status === "INFO") continue;
      const seen = checks.get(check.id);
      if (!seen || (RANK[check.status] ?? 0) >= (RANK[seen.status] ?? 0))
        checks.set(check.id, check);
    }
    scenarios.set(scenario, checks);
  }
  return scenarios;
}

/**
 * The baseline verdict, computed here for every scenario the run executed.
 * The suites do the same, except that `--requirements` leaves out the
 * scenarios it does not score (pending ones and extensions), which must not
 * regress unnoticed either. A failure or warning not in the baseline is new;
 * a listed entry that passes is stale.
 */
function judge(outputDir, baseline) {
  const scenarios = readChecks(outputDir);
  const whole = new Set(baseline.filter((entry) => !entry.includes(":")));
  const unexpected = [];
  const stale = [];
  const expected = [];
  for (const [scenario, checks] of scenarios) {
    const failed = [...checks.values()].filter((check) => failing(check.status));
    if (whole.has(scenario)) {
      (failed.length > 0 ? expected : stale).push(scenario);
      continue;
    }
    for (const check of failed) {
      const entry = `${scenario}:${check.id}`;
      (baseline.includes(entry) ? expected : unexpected).push(entry);
    }
  }
  for (const entry of baseline) {
    const [scenario, id] = entry.split(":");
    if (!scenarios.has(scenario)) stale.push(`${entry} (the run has no such scenario)`);
    else if (id !== undefined && checkOf(scenarios, scenario, id)?.status === "SUCCESS")
      stale.push(entry);
    else if (id !== undefined && !checkOf(scenarios, scenario, id))
      stale.push(`${entry} (the scenario has no such check)`);
  }
  return { unexpected, stale, expected };
}

function checkOf(scenarios, scenario, id) {
  return scenarios.get(scenario)?.get(id);
}

/** The failing or warning checks behind each new failure, from checks.json. */
function explain(outputDir, entries) {
  const scenarios = readChecks(outputDir);
  const lines = [];
  for (const entry of entries) {
    const [scenario, id] = entry.split(":");
    for (const check of scenarios.get(scenario)?.values() ?? []) {
      if (!failing(check.status) || (id !== undefined && check.id !== id)) continue;
      const why = (check.errorMessage ?? check.description ?? "").replace(/\s+/g, " ");
      lines.push(`${scenario}:${check.id} ${check.status}: ${why.slice(0, 300)}`);
    }
  }
  return lines;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const node = suiteNode();
  const nodeVersion = (await collect(node, ["--version"], 30_000)).output.trim();
  if (!/^v(2[2-9]|[3-9]\d)\./.test(nodeVersion))
    fail(`the suites need Node >= 22, but ${node} is ${nodeVersion || "not runnable"}`);
  const clis = { [STABLE]: cliOf(STABLE), [ALPHA]: cliOf(ALPHA) };
  const runs = RUNS.filter((run) => !options.only || options.only.includes(run.name));

  // Read first: a baseline that cannot be read stops the run before the server starts.
  const baselines = new Map(
    runs.map((run) => [
      run.name,
      readBaseline(join(ROOT, "conformance", `expected-failures-${run.baseline ?? run.name}.yml`)),
    ]),
  );
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const launches = new Map(runs.filter((run) => run.server).map((run) => [run, run.server(ROOT)]));
  for (const launch of launches.values()) if (launch.missing) fail(launch.missing);
  const server = runs.every((run) => run.server || run.start)
    ? undefined
    : await startServer(join(RESULTS, "server.log"));
  if (server) {
    const serverNode = (await collect(server.node, ["--version"], 30_000)).output.trim();
    console.log(
      `conformance: examples/conformance-server.ts at ${server.url} on Node ${serverNode}; suites on Node ${nodeVersion}`,
    );
  }

  const rows = [];
  try {
    for (const run of runs) {
      const cli = clis[run.cli];
      const outputDir = join(RESULTS, run.name);
      const baseline = join("conformance", `expected-failures-${run.baseline ?? run.name}.yml`);
      const started = Date.now();
      // A run on another runtime gets its own server, started and stopped around it.
      const launch = launches.get(run);
      const own = launch
        ? await startServer(join(RESULTS, `server-${run.name}.log`), launch)
        : run.start && (await run.start(join(RESULTS, `server-${run.name}.log`)));
      if (run.start) console.log(`conformance: run ${run.name} against ${own.url}`);
      if (launch) {
        const version = /\d+\.\d+\.\d+/.exec((await collect(...launch.version, 30_000)).output);
        console.log(
          `conformance: run ${run.name} against ${own.url} on ${launch.runtime} ${version?.[0]}`,
        );
      }
      const args = [cli.path, "server", "--url", (own ?? server).url, ...run.args];
      args.push("--expected-failures", baseline, "-o", outputDir);
      const { code, signal, output } = await collect(node, args, RUN_TIMEOUT_MS).finally(() =>
        own?.stop(),
      );
      writeFileSync(join(RESULTS, `${run.name}.log`), output);
      if (options.verbose) process.stdout.write(output);
      const verdict = judge(outputDir, baselines.get(run.name));
      const parsed = { ...readTotals(output), ...verdict };
      rows.push({
        run,
        cli,
        code,
        signal,
        parsed,
        outputDir,
        seconds: (Date.now() - started) / 1000,
      });
    }
  } finally {
    await server?.stop();
  }

  console.log("");
  let failedRuns = 0;
  for (const { run, cli, code, signal, parsed, outputDir, seconds } of rows) {
    // The suite's own verdict (exit code) and ours over every scenario must both hold.
    const ok = code === 0 && parsed.unexpected.length === 0 && parsed.stale.length === 0;
    if (!ok) failedRuns++;
    // A passing run must read as passing: the failed checks it has are the expected ones.
    const counts =
      parsed.passed === undefined
        ? "no summary"
        : !ok
          ? `${parsed.passed} checks passed, ${parsed.failed} failed: ${parsed.unexpected.length} scenario(s) fail unexpectedly, ${parsed.stale.length} baseline entr(ies) now pass`
          : parsed.failed === 0
            ? `${parsed.passed} checks passed, none failed`
            : `${parsed.passed} checks passed; the ${parsed.failed} failing checks are all in the ${parsed.expected.length} scenario(s) the baseline expects to fail`;
    console.log(
      `${ok ? "✓" : "✗"} ${run.name.padEnd(10)} ${run.title} [${cli.version}]: ${counts}, ${seconds.toFixed(1)} s`,
    );
    if (ok) continue;
    if (signal) console.log(`    killed by ${signal} after ${RUN_TIMEOUT_MS / 1000} s`);
    for (const entry of parsed.unexpected) console.log(`    NEW FAILURE  ${entry}`);
    for (const entry of parsed.stale)
      console.log(`    NOW PASSES   ${entry} (remove it from the baseline)`);
    for (const line of explain(outputDir, parsed.unexpected)) console.log(`      ${line}`);
    if (parsed.unexpected.length === 0 && parsed.stale.length === 0)
      console.log(`    exit code ${code}; see ${relative(ROOT, join(RESULTS, `${run.name}.log`))}`);
  }
  console.log(
    failedRuns === 0
      ? `\nconformance: all ${rows.length} runs match their baselines (conformance/expected-failures-*.yml)`
      : `\nconformance: ${failedRuns} of ${rows.length} runs differ from their baselines; logs in ${relative(ROOT, RESULTS)}/`,
  );
  process.exitCode = failedRuns === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
