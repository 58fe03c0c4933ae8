/**
 * examples/deploy/Dockerfile, replayed without a container runtime (none can
 * be fetched here): each stage's WORKDIR, COPY, ENV and RUN in a directory of
 * its own under a temporary root, the build context being the repository.
 * The one step not run as written is the build stage's `npm ci` (all dev
 * dependencies, from the registry): the repository's installed node_modules,
 * which that lockfile produced, stands in for it. The runtime stage's
 * `npm install --omit=dev` runs as written, against the npm cache first.
 * Then CMD runs as `nobody` (the image's USER is unprivileged), the official
 * client talks to the server over HTTP, and the HEALTHCHECK and compose's
 * health check run against it.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT } from "../helpers/clients.ts";

const DEPLOY = join(ROOT, "examples/deploy");

interface Instruction {
  readonly keyword: string;
  readonly flags: Readonly<Record<string, string>>;
  readonly args: string;
}

interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: Instruction[];
}

/** Stages and their instructions: continuation lines joined, comments and the syntax line dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const flags: Record<string, string> = {};
    while (rest[0]?.startsWith("--")) {
      const [name = "", value = ""] = (rest.shift() as string).slice(2).split(/=(.*)/s);
      flags[name] = value;
    }
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [base = "", , name = String(stages.length)] = rest;
      stages.push({ name, base, instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), flags, args });
  }
  return stages;
}

/** The build context: the repository's files (tracked or not ignored), as `docker build .` sends them. */
function copyContext(to: string): void {
  const files = execFileSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(ROOT, file)));
  const ignored = readFileSync(join(DEPLOY, "Dockerfile.dockerignore"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((pattern) => pattern.replace(/^\*\*\//, ""));
  for (const file of files) {
    if (
      ignored.some((pattern) =>
        file.split("/").some((_, i, parts) => matches(parts.slice(0, i + 1).join("/"), pattern)),
      )
    )
      continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file));
  }
}

/** A .dockerignore pattern: a path, or `*.ext`. */
function matches(path: string, pattern: string): boolean {
  if (pattern.startsWith("*.")) return path.endsWith(pattern.slice(1));
  return path === pattern || path.endsWith(`/${pattern}`);
}

interface Replayed {
  readonly workdir: string;
  readonly env: Record<string, string>;
  readonly user: string | undefined;
  readonly exposed: string[];
  readonly healthcheck: string[] | undefined;
  readonly cmd: string[];
}

/** Runs the stages' steps; returns what the last stage would start with. */
function replay(stages: Stage[], root: string, context: string): Replayed {
  const stageDirs = new Map<string, string>();
  let result: Replayed | undefined;
  for (const stage of stages) {
    const dir = join(root, stage.name);
    stageDirs.set(stage.name, dir);
    let workdir = dir;
    const env: Record<string, string> = {};
    let user: string | undefined;
    const exposed: string[] = [];
    let healthcheck: string[] | undefined;
    let cmd: string[] = [];
    for (const { keyword, flags, args } of stage.instructions) {
      switch (keyword) {
        case "WORKDIR":
          workdir = isAbsolute(args) ? join(dir, args) : join(workdir, args);
          mkdirSync(workdir, { recursive: true });
          break;
        case "COPY": {
          const parts = args.split(/\s+/);
          const dest = parts.pop() as string;
          const from = flags.from === undefined ? context : stageDirs.get(flags.from);
          assert.ok(from, `COPY --from=${flags.from}: no such stage`);
          const target = isAbsolute(dest) ? join(dir, dest) : join(workdir, dest);
          for (const source of parts) {
            const path = join(from, source);
            if (dest.endsWith("/") || parts.length > 1 || statSync(path).isDirectory()) {
              mkdirSync(target, { recursive: true });
              cpSync(
                path,
                statSync(path).isDirectory()
                  ? target
                  : join(target, source.split("/").at(-1) as string),
                {
                  recursive: true,
                },
              );
            } else {
              mkdirSync(dirname(target), { recursive: true });
              cpSync(path, target);
            }
          }
          break;
        }
        case "ENV":
          for (const pair of args.split(/\s+/)) {
            const [name = "", value = ""] = pair.split(/=(.*)/s);
            env[name] = value;
          }
          break;
        case "RUN":
          if (/^npm ci\b/.test(args)) {
            // The installed dev dependencies stand in for `npm ci` (see the top of this file).
            symlinkSync(join(ROOT, "node_modules"), join(workdir, "node_modules"));
            break;
          }
          run(args, workdir, env);
          break;
        case "USER":
          user = args;
          break;
        case "EXPOSE":
          exposed.push(...args.split(/\s+/));
          break;
        case "HEALTHCHECK":
          healthcheck = execForm(args.replace(/^CMD\s+/, ""), "HEALTHCHECK");
          break;
        case "CMD":
          cmd = execForm(args, "CMD");
          break;
        default:
          assert.fail(`the replay does not know ${keyword}`);
      }
    }
    result = { workdir, env, user, exposed, healthcheck, cmd };
  }
  assert.ok(result);
  return result;
}

/** The exec (JSON) form: no shell in between, so signals reach node. */
function execForm(args: string, what: string): string[] {
  assert.ok(args.startsWith("["), `${what} should use the exec form ["node", ...]`);
  return JSON.parse(args) as string[];
}

function run(command: string, cwd: string, env: Record<string, string>): void {
  const result = spawnSync("sh", ["-c", command], {
    cwd,
    env: {
      ...process.env,
      ...env,
      npm_config_prefer_offline: "true",
      npm_config_update_notifier: "false",
    },
    encoding: "utf8",
  });
  assert.equal(result.status, 0, `RUN ${command}\n${result.stdout}\n${result.stderr}`);
}

/** `nobody` when the test runs as root: the image's USER has no rights either. */
function asUnprivileged(command: string[]): { command: string[]; as: string } {
  if (process.getuid?.() !== 0) return { command, as: "the current user" };
  const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
  const uid = spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim();
  const gid = spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim();
  if (!setpriv || uid === "" || gid === "") return { command, as: "root" };
  return {
    command: ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", ...command],
    as: "nobody",
  };
}

function start(command: string[], cwd: string, env: Record<string, string>) {
  const [file = "", ...args] = command;
  const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${stderr}`)), 20_000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /Serving MCP over Streamable HTTP at (http:\/\/[^\s"]+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before serving:\n${stderr}`));
    });
  });
  return { child, listening, stderr: () => stderr };
}

function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

function runCheck(command: string[], env: Record<string, string>): number | null {
  const [file = "", ...args] = command;
  return spawnSync(file, args, { env: { ...process.env, ...env }, timeout: 10_000 }).status;
}

test("the Dockerfile's steps, replayed: production dependencies only, unprivileged, serving MCP and its health check", async (t) => {
  const stages = parseDockerfile(readFileSync(join(DEPLOY, "Dockerfile"), "utf8"));
  assert.deepEqual(
    stages.map((stage) => stage.name),
    ["build", "runtime"],
  );
  for (const stage of stages)
    assert.match(stage.base, /^node:2\d-slim$/, "a fresh slim Node image per stage");
  const root = mkdtempSync(join(tmpdir(), "fastmcp-deploy-"));
  try {
    const context = join(root, "context");
    copyContext(context);
    const image = replay(stages, join(root, "stages"), context);

    // Production dependencies only: the server's own and fastmcp-ts's, no build tools.
    const installed = readdirSync(join(image.workdir, "node_modules")).filter(
      (name) => !name.startsWith("."),
    );
    assert.deepEqual(installed.sort(), ["@standard-schema", "fastmcp-ts", "zod"]);
    assert.equal(image.env.NODE_ENV, "production");
    assert.ok(
      image.user !== undefined && image.user !== "root" && image.user !== "0",
      "USER is not root",
    );
    assert.deepEqual(image.exposed, [image.env.FASTMCP_PORT]);
    assert.ok(image.healthcheck);

    // What the container sees: the image's files readable, nothing writable to it.
    execFileSync("chmod", ["-R", "a+rX", root]);
    const { command, as } = asUnprivileged(image.cmd);
    t.diagnostic(
      as === "root"
        ? "setpriv or the nobody user is missing: CMD runs as root here"
        : `CMD runs as ${as}`,
    );
    const env = {
      ...image.env,
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      // Any free port: the machine is shared. The health checks get the real one below.
      FASTMCP_PORT: "0",
    };
    const server = start(command, image.workdir, env);
    try {
      const announced = await server.listening;
      const port = new URL(announced).port;
      if (as === "nobody") {
        const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
        assert.match(status, /^Uid:\s+(\d+)/m);
        assert.notEqual(/^Uid:\s+(\d+)/m.exec(status)?.[1], "0", "the server does not run as root");
      }
      const url = `http://127.0.0.1:${port}/mcp`;
      const client = new Client({ name: "deploy-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        ["add"],
      );
      const sum = await client.callTool({ name: "add", arguments: { a: 20, b: 22 } });
      assert.deepEqual(sum.content, [{ type: "text", text: "42" }]);
      await client.close();

      assert.equal(runCheck(image.healthcheck, { FASTMCP_PORT: port }), 0, "HEALTHCHECK");
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      const compose = composeHealthcheck();
      assert.equal(runCheck(compose, { FASTMCP_PORT: port }), 0, "compose's healthcheck");
    } finally {
      assert.equal(await stop(server.child), 0, server.stderr());
    }
    // JSON logs, one object per line, and no error among them.
    const lines = server
      .stderr()
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { level: string; msg: string; tool?: string });
    assert.ok(
      lines.some((line) => line.tool === "add"),
      "the access line of the call",
    );
    assert.deepEqual(
      lines.filter((line) => line.level === "error" || line.level === "warn"),
      [],
    );

    // `node server.js` serves the same way, from the same environment.
    const plain = start(asUnprivileged(["node", "server.js"]).command, image.workdir, env);
    try {
      const port = new URL(await plain.listening).port;
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      await stop(plain.child);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("docker-compose.yml builds that Dockerfile from the repository and publishes its port", () => {
  const compose = readFileSync(join(DEPLOY, "docker-compose.yml"), "utf8");
  const context = /^\s+context: (\S+)$/m.exec(compose)?.[1] ?? "";
  const dockerfile = /^\s+dockerfile: (\S+)$/m.exec(compose)?.[1] ?? "";
  assert.equal(join(DEPLOY, context), ROOT);
  assert.equal(join(ROOT, dockerfile), join(DEPLOY, "Dockerfile"));
  const port = /FASTMCP_PORT=(\d+)/.exec(readFileSync(join(DEPLOY, "Dockerfile"), "utf8"))?.[1];
  assert.match(compose, new RegExp(`- "${port}:${port}"`));
  assert.match(compose, /^\s+restart: unless-stopped$/m);
  assert.match(compose, /^\s+healthcheck:$/m);
});

/** The command of compose's health check (its `test:` list, which is JSON). */
function composeHealthcheck(): string[] {
  const compose = readFileSync(join(DEPLOY, "docker-compose.yml"), "utf8");
  const list = /test:\s*(\[[\s\S]*?\])\s*\n\s*interval:/.exec(compose)?.[1];
  assert.ok(list, "compose's healthcheck test");
  const [kind, ...command] = JSON.parse(list.replace(/,\s*\]$/, "]")) as string[];
  assert.equal(kind, "CMD");
  return command;
}
