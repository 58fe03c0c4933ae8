import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { BEARER_ENV } from "./bearer.ts";
import type { Framework } from "./frameworks.ts";
import { SERVERS_DIR } from "./paths.ts";
import { benchRedisUrl } from "./redis.ts";
import type { ServerConfig } from "./workloads.ts";

/** Server on one core, load generator (and this harness) on another, when there are two. */
export const PINNED = availableParallelism() >= 2;
export const SERVER_CORE = "0";
export const LOAD_CORE = "1";

/**
 * The cores a server of `workers` processes gets: every core but the load
 * generator's, up to one per worker. On the 2-core reference machine that is
 * still one core, so `call-workers` there measures what the cluster costs,
 * not what it gains (docs/benchmarks.md says which it was).
 */
export function serverCores(workers = 1): string {
  if (workers <= 1) return SERVER_CORE;
  const cores = Array.from({ length: availableParallelism() }, (_, i) => String(i)).filter(
    (core) => core !== LOAD_CORE,
  );
  return cores.slice(0, workers).join(",");
}

/** A command line pinned to a core with taskset (unpinned on one core). */
export function pinned(core: string, command: string, args: readonly string[]): [string, string[]] {
  return PINNED ? ["taskset", ["-c", core, command, ...args]] : [command, [...args]];
}

export interface StartOptions {
  readonly transport?: "http" | "stdio";
  readonly port?: number;
  /** Extra node flags (--cpu-prof, --expose-gc). */
  readonly nodeFlags?: readonly string[];
  readonly cwd?: string;
  /** Extra environment variables for the server. */
  readonly env?: Readonly<Record<string, string>>;
}

export class ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly startedAt: number;
  /** The end of what the server wrote to stderr, so a server that dies can say why. */
  #stderrTail = "";
  #partialLine = "";
  readonly #lineWaiters: { prefix: string; resolve: (rest: string) => void }[] = [];

  private constructor(child: ChildProcess, url: string, startedAt: number, pending: string) {
    this.child = child;
    this.url = url;
    this.startedAt = startedAt;
    this.#onStderr(pending);
    child.stderr?.on("data", (chunk: string) => this.#onStderr(chunk));
  }

  /** Keeps a bounded tail and hands complete lines to whoever waits for them. */
  #onStderr(chunk: string): void {
    this.#stderrTail = (this.#stderrTail + chunk).slice(-2000);
    const lines = (this.#partialLine + chunk).split("\n");
    this.#partialLine = lines.pop() ?? "";
    for (const line of lines) {
      const index = this.#lineWaiters.findIndex((w) => line.startsWith(w.prefix));
      if (index === -1) continue;
      const [waiter] = this.#lineWaiters.splice(index, 1);
      waiter?.resolve(line.slice(waiter.prefix.length));
    }
  }

  /** The rest of the next stderr line that starts with `prefix`. */
  nextLine(prefix: string, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiter = {
        prefix,
        resolve: (rest: string) => {
          clearTimeout(timer);
          resolve(rest);
        },
      };
      const timer = setTimeout(() => {
        this.#lineWaiters.splice(this.#lineWaiters.indexOf(waiter), 1);
        reject(new Error(`no "${prefix}" line within ${timeoutMs} ms\n${this.#stderrTail}`));
      }, timeoutMs);
      this.#lineWaiters.push(waiter);
    });
  }

  /** What the server last wrote to stderr (its end). */
  get stderrTail(): string {
    return this.#stderrTail;
  }

  static spawnRaw(framework: Framework, config: ServerConfig, options: StartOptions = {}) {
    const [command, args] = pinned(serverCores(config.workers), process.execPath, [
      ...(options.nodeFlags ?? []),
      join(SERVERS_DIR, framework.script),
    ]);
    return spawn(command, args, {
      cwd: options.cwd ?? SERVERS_DIR,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(options.port ?? 0),
        TOOLS: String(config.tools),
        STATEFUL: config.stateful ? "1" : "0",
        RESPONSE: config.response,
        TRANSPORT: options.transport ?? "http",
        ...(config.auth ? BEARER_ENV : {}),
        ...(config.telemetry ? { OTEL_BENCH: config.telemetry } : {}),
        ...(config.workers === undefined ? {} : { WORKERS: String(config.workers) }),
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  /** Starts an HTTP server and waits for the port it announces. */
  static async start(
    framework: Framework,
    config: ServerConfig,
    options: StartOptions = {},
  ): Promise<ServerProcess> {
    const startedAt = performance.now();
    const redis: Record<string, string> = config.redis ? { REDIS_URL: await benchRedisUrl() } : {};
    const child = ServerProcess.spawnRaw(framework, config, {
      ...options,
      env: { ...redis, ...options.env },
    });
    let stderr = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error("no port announced within 30 s")), 30_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${framework.id}: ${error.message}\n${stderr.slice(-2000)}`));
      };
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        stderr += chunk;
        const match = /listening (\d+)\n?/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          // What came after the line is the server's, read from here on.
          stderr = stderr.slice(match.index + match[0].length);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code) => fail(new Error(`exited with ${code} before listening`)));
      child.once("error", fail);
    });
    child.removeAllListeners("exit");
    child.stderr?.removeAllListeners("data");
    // Keep draining output so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    return new ServerProcess(child, `http://127.0.0.1:${port}/mcp`, startedAt, stderr);
  }

  /** Resident set size in bytes, from /proc. */
  rss(): number {
    return rssOf(this.child.pid as number);
  }

  /** Asks a server started with --expose-gc to collect garbage, then waits a little. */
  async collectGarbage(): Promise<void> {
    this.child.kill("SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
