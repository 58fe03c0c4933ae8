/**
 * Runs examples/runtimes/ the way a user's project runs them: from a
 * throwaway project whose node_modules holds `fastmcp-ts` (this repository,
 * so its package.json exports and the built dist/) and the few packages the
 * entries import. The entries are copied unchanged; their one import of the
 * repository's sources, `../../src/index.ts`, lands on a file that re-exports
 * "fastmcp-ts", so Bun, Deno and Node load the published bundle by its name.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./clients.ts";

const PACKAGES = ["zod", "hono", "@hono/node-server", "tsx"];

/** Why the runtime tests cannot run here, or undefined when they can. */
export function missing(binary: "bun" | "deno" | "node"): string | undefined {
  if (!existsSync(join(ROOT, "dist/index.js"))) return "dist/ is not built (npm run build)";
  if (binary !== "node" && !existsSync(runtimeBinary(binary)))
    return `${binary} is not installed (npm ci installs it)`;
  return undefined;
}

/**
 * Fails a test, naming the fix, when its runtime or the build is missing:
 * the runtimes are devDependencies (`npm ci` installs them) and `npm test`
 * builds first, so a missing one is a broken setup to see, never a skip.
 */
export function requireRuntime(binary: "bun" | "deno" | "node"): void {
  const why = missing(binary);
  if (why !== undefined) throw new Error(`${why}: the runtime tests cannot run without it`);
}

export function runtimeBinary(binary: "bun" | "deno"): string {
  return join(ROOT, "node_modules", ".bin", binary);
}

const projects = new Map<string, string>();

/**
 * The throwaway user project, made once per test process; `serverModule`, if
 * given, replaces example-server.ts (the original stays beside it, as
 * example-server.original.ts) to serve the same entries with more tools.
 */
export function userProject(serverModule?: string): string {
  const made = projects.get(serverModule ?? "");
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), "fastmcp-runtime-"));
  // Removes the links, never what they point to.
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const dependencies = Object.fromEntries(["fastmcp-ts", ...PACKAGES].map((name) => [name, "*"]));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "runtime-user", private: true, type: "module", dependencies }),
  );
  mkdirSync(join(dir, "node_modules", "@hono"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules", "fastmcp-ts"), "dir");
  for (const name of PACKAGES)
    symlinkSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name), "dir");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "index.ts"), 'export * from "fastmcp-ts";\n');
  mkdirSync(join(dir, "examples", "runtimes"), { recursive: true });
  for (const file of ["example-server.ts", "bun.ts", "deno.ts", "hono-node.ts", "stdio.ts"])
    copyFileSync(join(ROOT, "examples/runtimes", file), join(dir, "examples/runtimes", file));
  if (serverModule !== undefined) {
    const runtimes = join(dir, "examples", "runtimes");
    copyFileSync(join(runtimes, "example-server.ts"), join(runtimes, "example-server.original.ts"));
    writeFileSync(join(runtimes, "example-server.ts"), serverModule);
  }
  projects.set(serverModule ?? "", dir);
  return dir;
}

/**
 * Deno's flags: npm packages from the project's node_modules only, nothing
 * fetched (`--cached-only` with an empty cache: no jsr, no deno.land, no npm),
 * no lock file written, and the narrowest permissions the entries need.
 */
export function denoRun(entry: string, permissions: string[]): { command: string; args: string[] } {
  return {
    command: runtimeBinary("deno"),
    args: ["run", "--node-modules-dir=manual", "--cached-only", "--no-lock", ...permissions, entry],
  };
}

/** The environment of a runtime child: its cache in the throwaway project, nothing inherited that steers it. */
export function runtimeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "SYSTEMROOT"])
    if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  return {
    ...env,
    DENO_DIR: join(userProject(), ".deno"),
    NO_COLOR: "1",
    FASTMCP_LOG_LEVEL: "error",
    ...extra,
  };
}

export interface Running {
  url: string;
  /** Everything the process wrote so far, stdout and stderr. */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code (null if killed). */
  stop(): Promise<number | null>;
}

/** Spawns an HTTP entry on a free port and waits for the URL it prints. */
export function startHttp(command: string, args: string[], cwd = userProject()): Promise<Running> {
  const child = spawn(command, args, {
    cwd,
    env: runtimeEnv({ PORT: "0" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr.on("data", (chunk) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (!match?.[1]) return;
      child.stdout.off("data", onData);
      resolve({ url: match[1], log: () => log, stop: () => stop(child, exited) });
    };
    child.stdout.on("data", onData);
    void exited.then(() =>
      reject(new Error(`${command} ${args.join(" ")} exited before listening:\n${log}`)),
    );
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
