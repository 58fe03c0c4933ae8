import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { openSession, pool, post } from "./client.ts";
import { type Framework, legacyVersionOf } from "./frameworks.ts";
import { legacyCall } from "./messages.ts";
import { ROOT_DIR } from "./paths.ts";
import { ServerProcess } from "./server-process.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Milliseconds from spawn to the first correct tools/call answer over HTTP. The
 * port is picked free before the spawn, so another process can take it first:
 * such a start is tried again on another port.
 */
export async function coldStart(framework: Framework, tries = 3): Promise<number> {
  try {
    return await coldStartOn(framework, await freePort());
  } catch (error) {
    if (tries > 1 && String((error as Error).message).includes("EADDRINUSE"))
      return coldStart(framework, tries - 1);
    throw error;
  }
}

async function coldStartOn(framework: Framework, port: number): Promise<number> {
  const url = `http://127.0.0.1:${port}/mcp`;
  const call = legacyCall(legacyVersionOf(framework));
  const started = performance.now();
  const child = ServerProcess.spawnRaw(
    framework,
    { tools: 1, stateful: false, response: "json" },
    { port },
  );
  child.stdout?.resume();
  // Kept (the tail) so a server that dies says why.
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    for (;;) {
      try {
        const answer = await post(url, call, undefined, { fresh: true });
        const elapsed = performance.now() - started;
        if (answer.status !== 200 || !answer.text.includes('"sum":3'))
          throw new Error(`${framework.id}: wrong first answer: ${answer.text.slice(0, 200)}`);
        return elapsed;
      } catch (error) {
        if ((error as { code?: string }).code !== "ECONNREFUSED") throw error;
        if (child.exitCode !== null)
          throw new Error(
            `${framework.id} exited during start-up (code ${child.exitCode}): ${stderr.trim()}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  } finally {
    child.kill("SIGKILL");
  }
}

const WARM_SESSIONS = 3000;

export interface SessionMemory {
  /** RSS growth divided by the sessions opened. */
  readonly bytesPerSession: number;
  /** Sessions opened: `count`, or fewer when the time limit came first. */
  readonly sessions: number;
}

/**
 * RSS growth per idle legacy session, over `count` sessions (garbage collected
 * before each reading). A server that opens sessions slowly is stopped at
 * `limitMs`, and the growth divided by the sessions it did open.
 */
export async function sessionMemory(
  framework: Framework,
  count: number,
  limitMs = 90_000,
): Promise<SessionMemory> {
  const server = await ServerProcess.start(
    framework,
    { tools: 1, stateful: true, response: "json" },
    { nodeFlags: ["--expose-gc"] },
  );
  try {
    // Warm-up: enough sessions that the server's young generation has grown to its working
    // size, so the reading after measures what sessions hold, not the collector settling in.
    const version = legacyVersionOf(framework);
    await pool(WARM_SESSIONS, 16, (i) => openSession(server.url, i, version).then(() => undefined));
    await server.collectGarbage();
    const before = server.rss();
    const deadline = performance.now() + limitMs;
    let opened = 0;
    const opening = pool(count, 16, async (i) => {
      if (performance.now() > deadline) return;
      await openSession(server.url, i, version);
      opened++;
    });
    // Sessions still opening at the deadline are not waited for.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      opening,
      new Promise((resolve) => {
        timer = setTimeout(resolve, limitMs + 5000);
      }),
    ]);
    clearTimeout(timer);
    opening.catch(() => undefined);
    await server.collectGarbage();
    return { bytesPerSession: (server.rss() - before) / opened, sessions: opened };
  } finally {
    await server.stop();
  }
}

export interface InstallSize {
  readonly bytes: number;
  readonly packages: number;
}

/** What installing the framework brings: the closure of its (and peer) dependencies on disk. */
export function installSize(framework: Framework): InstallSize {
  const seen = new Set<string>();
  let bytes = 0;
  const visit = (name: string, from: string) => {
    const dir = name === "fastmcp-ts" ? ROOT_DIR : resolvePackage(name, from, framework.modulesDir);
    if (dir === undefined || seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      files?: string[];
    };
    bytes +=
      name === "fastmcp-ts"
        ? ["package.json", ...(manifest.files ?? [])].reduce((n, f) => n + sizeOf(join(dir, f)), 0)
        : sizeOf(dir);
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
      (peer) => !manifest.peerDependenciesMeta?.[peer]?.optional,
    );
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...peers]) visit(dep, dir);
  };
  for (const name of framework.packages) visit(name, framework.modulesDir);
  return { bytes, packages: seen.size };
}

/** Node's lookup: node_modules of the package, then of each folder above, up to the root. */
function resolvePackage(name: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir.endsWith("node_modules")
      ? join(dir, name)
      : join(dir, "node_modules", name);
    try {
      statSync(join(candidate, "package.json"));
      return candidate;
    } catch {
      // keep looking upwards
    }
    if (dir === root || dir === dirname(dir)) return undefined;
    dir = dirname(dir);
  }
}

function sizeOf(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) {
    // Nested node_modules are other packages, counted when reached.
    if (entry === "node_modules") continue;
    total += sizeOf(join(path, entry));
  }
  return total;
}
