// Serves a Worker entry (a module whose default export has `fetch`) in a real
// `workerd serve`, as Cloudflare would: bundled by esbuild the way wrangler
// bundles (one ES module, the workerd/worker conditions, `node:` imports left
// external), and run with Node compatibility off, so a `node:` module the
// bundle imports at load fails it (`No such module "node:http"`), and
// `process` and `Buffer` are not defined. Used by the Workers tests
// (test/runtimes/workers*.test.ts) and the conformance run on Workers.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The workerd release in node_modules supports compatibility dates up to its own. */
const COMPATIBILITY_DATE = "2026-11-23";
/**
 * Since the compatibility date 2026-08-04 Workers have Node's modules and
 * globals unless both flags turn them off (examples/runtimes/wrangler.jsonc does too).
 */
const COMPATIBILITY_FLAGS = ["no_nodejs_compat", "no_nodejs_compat_v2"];

/** The esbuild options a Worker's bundle is made with (also what `npm run bench` sizes). */
export function workerBuildOptions(entry) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    // As wrangler does without nodejs_compat: left to fail at run time, if ever reached.
    external: ["node:*"],
    logLevel: "warning",
  };
}

/** The Worker's one module, as text. */
export async function bundleWorker(entry, { minify = false } = {}) {
  const result = await build({ ...workerBuildOptions(entry), minify });
  return result.outputFiles[0].text;
}

function workerdBinary() {
  const require = createRequire(join(ROOT, "package.json"));
  return join(dirname(require.resolve("workerd/package.json")), "bin", "workerd");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function capnpString(value) {
  return JSON.stringify(value);
}

/** The config `workerd serve` reads: one Worker, one loopback socket, text bindings. */
function config(port, bindings) {
  const texts = Object.entries(bindings)
    .map(([name, text]) => `(name = ${capnpString(name)}, text = ${capnpString(text)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (cfBlobHeader = "cf-blob"), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = [${COMPATIBILITY_FLAGS.map(capnpString).join(", ")}],
  bindings = [${texts}],
);
`;
}

/**
 * Bundles `entry`, serves it with workerd on a free loopback port and resolves
 * once it answers: `{ origin, stop(), log() }`. `log()` is workerd's output so
 * far (uncaught errors, console output), for failure messages.
 */
export async function startWorkerd(entry, { bindings = {}, timeoutMs = 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fastmcp-workerd-"));
  writeFileSync(join(dir, "worker.js"), await bundleWorker(entry));
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), config(port, bindings));
  const child = spawn(workerdBinary(), ["serve", "config.capnp", "--verbose"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const record = (chunk) => {
    output += chunk;
  };
  child.stdout.on("data", record);
  child.stderr.on("data", record);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`workerd exited before it served:\n${output}`);
    }
    try {
      // Any answer means the Worker loaded: workerd loads it before it listens.
      await fetch(`${origin}/`, { signal: AbortSignal.timeout(2_000) });
      return { origin, stop, log: () => output };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`workerd did not answer within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
