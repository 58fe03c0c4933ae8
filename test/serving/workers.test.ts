/**
 * `run({ workers })` and `fastmcp-ts run --workers`: several processes on one
 * port with node:cluster. Each request goes on a connection of its own, so
 * cluster's round robin spreads them; the tools answer with the pid of the
 * process that served them.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";
import { after, test } from "node:test";
import { EnvSettingError, readRunEnv } from "../../src/server/env.ts";
import { checkRunOptions } from "../../src/serving/run-options.ts";
import { runCli, startCliHttp } from "../helpers/cli.ts";
import { ROOT } from "../helpers/clients.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";

const FIXTURE = join(ROOT, "test/fixtures/workers-server.ts");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Cluster {
  readonly child: ChildProcess;
  readonly url: string;
  stderr: string;
}

const running: ChildProcess[] = [];
after(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts the fixture; resolves once the primary says every worker listens. */
async function startCluster(env: NodeJS.ProcessEnv): Promise<Cluster> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  const cluster = { child, url: "", stderr: "" };
  child.stderr?.on("data", (chunk: Buffer) => {
    cluster.stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no start:\n${cluster.stderr}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${cluster.stderr}`));
    });
  });
  child.removeAllListeners("exit");
  return Object.assign(cluster, { url: `http://127.0.0.1:${port}/mcp` });
}

/** One JSON-RPC POST on a fresh connection (no keep-alive: the next one may reach another worker). */
function rpc(
  url: string,
  message: unknown,
  sessionId?: string,
): Promise<{ status: number; sessionId: string | undefined; body: unknown }> {
  const payload = JSON.stringify(message);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          connection: "close",
          ...(sessionId === undefined ? {} : { "mcp-session-id": sessionId }),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            sessionId: res.headers["mcp-session-id"] as string | undefined,
            body: text === "" ? undefined : JSON.parse(text),
          }),
        );
      },
    );
    req.on("error", reject);
    // A test that hangs says nothing; one that times out says where.
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from ${url} in 5 s`)));
    req.end(payload);
  });
}

const call = (name: string, id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: {} },
});

interface CallAnswer {
  result?: { content?: { text?: string }[] };
}

const textOf = (body: unknown): string =>
  (body as CallAnswer | undefined)?.result?.content?.[0]?.text ?? JSON.stringify(body);

/** The pids answering `count` stateless calls. */
async function pids(url: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push(textOf((await rpc(url, call("pid"))).body));
  return seen;
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

test("stateless, workers: 2 answers from both workers; a killed worker is replaced", async () => {
  const cluster = await startCluster({ WORKERS: "2", STATELESS: "1" });
  const first = new Set(await pids(cluster.url, 6));
  assert.equal(first.size, 2, `two workers answer: ${[...first]}`);
  assert.ok(!first.has(String(cluster.child.pid)), "the primary serves nothing itself");
  assert.match(cluster.stderr, /with 2 worker processes/);

  const [victim] = [...first];
  process.kill(Number(victim), "SIGKILL");
  const exited = new RegExp(`Worker ${victim} exited on SIGKILL; starting another in \\d+ ms`);
  for (let attempt = 0; attempt < 100 && !exited.test(cluster.stderr); attempt++) await sleep(50);
  // Service goes on meanwhile, from the survivor.
  const during = await pids(cluster.url, 3);
  assert.ok(!during.includes(victim as string));
  let after = new Set<string>();
  for (let attempt = 0; attempt < 50 && after.size < 2; attempt++) {
    await sleep(100);
    after = new Set(await pids(cluster.url, 4));
  }
  assert.equal(after.size, 2, `a replacement serves: ${[...after]}`);
  assert.ok(!after.has(victim as string));
  assert.match(
    cluster.stderr,
    new RegExp(`Worker ${victim} exited on SIGKILL; starting another in \\d+ ms`),
  );

  assert.equal(await stop(cluster.child), 0);
  assert.match(cluster.stderr, /Stopping 2 worker processes/);
  for (const pid of after) assert.throws(() => process.kill(Number(pid), 0), "workers are gone");
});

test("stateful workers with in-memory state refuse to start, naming both fixes", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: { ...process.env, WORKERS: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  assert.equal(code, 1);
  assert.match(stderr, /workers: 2 serves sessions from 2 processes/);
  assert.match(stderr, /the sessionStore and bus are in one process's memory/);
  assert.match(stderr, /\.\.\.redisState\(\{ url \}\)/);
  assert.match(stderr, /statelessHttp: true/);
  assert.doesNotMatch(stderr, /Worker \d+ serving/, "no worker was forked");
});

test("fastmcp-ts run --workers 2 serves over HTTP from two processes", async () => {
  const served = await startCliHttp([
    "run",
    join(ROOT, "test/fixtures/workers-server.ts"),
    "--transport",
    "http",
    "--port",
    "0",
    "--workers",
    "2",
    "--stateless",
  ]);
  running.push(served.child);
  // NO_RUN is not set for the command: the file's own run() is taken over, flags on top.
  const seen = new Set(await pids(served.url, 6));
  assert.equal(seen.size, 2, `two workers answer: ${[...seen]}`);
  assert.match(served.stderr(), /with 2 worker processes/);
  await served.stop();
});

let redis: RedisServer | undefined;
after(async () => redis?.stop());

test("with Redis state, a legacy session is served across both workers", async () => {
  redis = await startRedis();
  const cluster = await startCluster({ WORKERS: "2", REDIS_URL: redis.url });
  const init = await rpc(cluster.url, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    },
  });
  const sessionId = init.sessionId;
  assert.ok(sessionId, `a session: ${JSON.stringify(init.body)}`);
  await rpc(cluster.url, { jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
  const answers: string[] = [];
  for (let i = 0; i < 6; i++)
    answers.push(textOf((await rpc(cluster.url, call("remember", i + 2), sessionId)).body));
  // The session's state counts every call, whichever process served it.
  assert.deepEqual(
    answers.map((answer) => answer.split(" ")[0]),
    ["1", "2", "3", "4", "5", "6"],
  );
  const served = new Set(answers.map((answer) => answer.split(" ")[1]));
  assert.equal(served.size, 2, `both workers served the session: ${answers}`);
  assert.equal(await stop(cluster.child), 0);
});

test("a bad worker count is refused, in code, in the environment and on the command line", async () => {
  for (const workers of [0, 1.5, "2", 5000])
    assert.throws(
      () => checkRunOptions({ transport: "http", workers }, 'FastMCP("w")'),
      /FastMCP\("w"\)\.run\(\): workers must be a whole number from 1 to 1024/,
    );
  assert.equal(
    (checkRunOptions({ transport: "http", workers: 3 }, "w") as { workers?: number }).workers,
    3,
  );
  assert.equal(readRunEnv({ FASTMCP_WORKERS: "4" }).workers, 4);
  assert.throws(() => readRunEnv({ FASTMCP_WORKERS: "0" }), EnvSettingError);
  const cli = await runCli(["run", FIXTURE, "--transport", "http", "--workers", "many"]);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /--workers must be a whole number from 1 to 1024, not "many"/);
});
