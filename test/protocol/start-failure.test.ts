/**
 * A server that cannot start says so in one line (the server, what failed,
 * what to do) and exits non-zero, rather than crashing with the framework's
 * stack or leaving a client with "Connection closed".
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { test } from "node:test";
import { FastMCP, StartError } from "../../src/index.ts";
import { stdioCommand } from "../helpers/clients.ts";

function runFixture(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const { command, args } = stdioCommand("test/fixtures/start-failure-server.ts");
  const child = spawn(command, args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FASTMCP_LOG_LEVEL: "info", ...env },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

test("a port in use: one line naming the server, the port and what to do; exit code 1", async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const { code, stderr } = await runFixture({ FAIL: "port", PORT: String(port) });
    assert.equal(code, 1, stderr);
    const lines = stderr.trim().split("\n");
    assert.deepEqual(lines, [
      `[Starter] ERROR FastMCP("Starter") could not listen: port ${port} on 127.0.0.1 is in use (another server is listening there); stop it, or pass another port: run({ port })`,
      "run() returned; exitCode 1",
    ]);
  } finally {
    taken.close();
  }
});

test("a lifespan that throws: the line first, then the lifespan's own error; exit code 1", async () => {
  const { code, stderr } = await runFixture({ FAIL: "lifespan" });
  assert.equal(code, 1, stderr);
  // The logger writes the line, then the lifespan's error (its own stack) after it.
  assert.ok(
    stderr.startsWith(
      `[Starter] ERROR FastMCP("Starter") could not start: its lifespan failed before yielding (Error: database unreachable at db.internal:5432); fix what it starts, or catch the error there Error: database unreachable at db.internal:5432\n`,
    ),
    stderr,
  );
  assert.match(stderr, /at .*start-failure-server\.ts/, "the lifespan's own frame is shown");
  assert.doesNotMatch(stderr, /triggerUncaughtException|Node\.js v/, "nothing was left uncaught");
  assert.match(stderr, /run\(\) returned; exitCode 1/);
});

test("start() and connect() reject with the StartError itself, for code that handles it", async () => {
  const mcp = new FastMCP("Starter", {
    lifespan: async function* () {
      yield* [];
    },
  });
  await assert.rejects(mcp.start(), (error: Error) => {
    assert.ok(error instanceof StartError);
    assert.match(
      error.message,
      /^FastMCP\("Starter"\) could not start: its lifespan returned without yielding a value; yield once/,
    );
    return true;
  });
});
