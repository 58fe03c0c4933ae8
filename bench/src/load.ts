import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Exchange } from "./messages.ts";
import { BENCH_DIR, OUT_DIR } from "./paths.ts";
import { LOAD_CORE, pinned } from "./server-process.ts";

const run = promisify(execFile);

export interface LoadResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  /** Socket errors, timeouts and non-2xx answers. */
  readonly errors: number;
  /** Answers other than `expect` (0 when answers are not checked). */
  readonly wrong: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly sessions?: readonly string[];
  /** The body every answer must be (status 200), checked by wrk's Lua for each response. */
  readonly expect?: string;
}

/** Whether wrk is installed (Debian: apt-get install wrk). */
export async function haveWrk(): Promise<boolean> {
  try {
    await run("wrk", ["--version"]);
    return true;
  } catch (error) {
    // wrk --version prints its banner and exits 1.
    return (error as { code?: unknown }).code === 1;
  }
}

/** Drives the server with wrk (one thread, pinned to the load core) and reads its summary. */
export async function load(
  url: string,
  exchange: Exchange,
  options: LoadOptions,
): Promise<LoadResult> {
  const dir = join(OUT_DIR, "wrk");
  mkdirSync(dir, { recursive: true });
  const body = join(dir, "body.json");
  const headers = join(dir, "headers.txt");
  const sessions = join(dir, "sessions.txt");
  const expect = join(dir, "expect.txt");
  writeFileSync(body, JSON.stringify(exchange.body));
  writeFileSync(
    headers,
    Object.entries(exchange.headers)
      .map(([name, value]) => `${name}: ${value}\n`)
      .join(""),
  );
  writeFileSync(sessions, (options.sessions ?? []).join("\n"));
  if (options.expect !== undefined) writeFileSync(expect, options.expect);
  const [command, args] = pinned(LOAD_CORE, "wrk", [
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(BENCH_DIR, "wrk", "mcp.lua"),
    url,
  ]);
  const { stdout } = await run(command, args, {
    env: {
      ...process.env,
      MCP_BODY: body,
      MCP_HEADERS: headers,
      MCP_SESSIONS: options.sessions ? sessions : "",
      MCP_EXPECT: options.expect !== undefined ? expect : "",
    },
    maxBuffer: 1 << 20,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const raw = JSON.parse(line) as Record<string, number>;
  const n = (key: string) => raw[key] ?? 0;
  return {
    rps: n("requests") / (n("durationUs") / 1e6),
    p50Ms: n("p50Us") / 1000,
    p90Ms: n("p90Us") / 1000,
    p99Ms: n("p99Us") / 1000,
    maxMs: n("maxUs") / 1000,
    requests: n("requests"),
    errors: n("connectErrors") + n("readErrors") + n("writeErrors") + n("timeouts") + n("non2xx"),
    wrong: n("wrong"),
  };
}
