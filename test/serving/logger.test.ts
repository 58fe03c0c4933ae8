/** The built-in logger: the human format, JSON lines, batching that keeps order, and its level and format changed in place. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import {
  configureLogger,
  type Logger,
  logsAt,
  SAID_IN_MESSAGE,
  stderrLogger,
} from "../../src/logger.ts";
import { ROOT } from "../helpers/clients.ts";

/** What the logger wrote to stderr (directly or through the console), once its batch left. */
async function captured(write: () => void): Promise<string[]> {
  const original = process.stderr.write;
  const originalError = console.error;
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => {
    text += `${args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ")}\n`;
  };
  try {
    write();
    // Info lines leave in batches, within 10 ms.
    await new Promise((resolve) => setTimeout(resolve, 30));
  } finally {
    process.stderr.write = original;
    console.error = originalError;
  }
  return text.split("\n").filter((line) => line !== "");
}

test("JSON lines: time, level, server, msg, the fields, and the error with name, message, stack, code and cause", async () => {
  const logger = stderrLogger("svc", "debug", "json");
  const cause = new Error("socket hang up");
  const error = Object.assign(new TypeError("upstream failed", { cause }), { code: "EUPSTREAM" });
  const [line] = await captured(() =>
    logger.error(
      'Tool "x" failed',
      { tool: "x", attempt: 2, time: "forged", msg: "forged" },
      error,
    ),
  );
  const parsed = JSON.parse(line ?? "") as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed).slice(0, 4), ["time", "level", "server", "msg"]);
  assert.equal(parsed.level, "error");
  assert.equal(parsed.server, "svc");
  assert.equal(parsed.msg, 'Tool "x" failed');
  assert.notEqual(parsed.time, "forged", "fields cannot take the line's own keys over");
  assert.ok(!Number.isNaN(Date.parse(String(parsed.time))));
  assert.equal(parsed.tool, "x");
  assert.equal(parsed.attempt, 2);
  const logged = parsed.error as Record<string, unknown>;
  assert.equal(logged.name, "TypeError");
  assert.equal(logged.message, "upstream failed");
  assert.match(String(logged.stack), /^TypeError: upstream failed\n\s+at /);
  assert.equal(logged.code, "EUPSTREAM");
  assert.equal((logged.cause as Record<string, unknown>).message, "socket hang up");
});

test("JSON lines survive what JSON.stringify refuses, and one line stays one line", async () => {
  const logger = stderrLogger("svc", "info", "json");
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const lines = await captured(() => {
    logger.info("cycle", { cyclic });
    logger.info("big", { count: 10n });
    logger.info("two\nlines", "a string detail", 42);
  });
  assert.equal(lines.length, 3, lines.join("\n"));
  const [cycle, big, text] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(cycle?.cyclic, { name: "loop", self: "[Circular]" });
  assert.equal(big?.count, "10");
  assert.equal(text?.msg, "two\nlines");
  assert.deepEqual(text?.details, ["a string detail", 42]);
});

test("the human format: [name] LEVEL message, fields as key=value, errors with their stack", async () => {
  const logger = stderrLogger("svc", "info", "human");
  const lines = await captured(() => {
    logger.info("started", { port: 8000, host: "0.0.0.0", note: "two words", ok: true });
    logger.info("POST /mcp 200 1ms", { status: 200, [SAID_IN_MESSAGE]: true });
    logger.debug("hidden at info");
    logger.warn("careful", new Error("boom"));
  });
  assert.equal(lines[0], '[svc] INFO started port=8000 host=0.0.0.0 note="two words" ok=true');
  assert.equal(
    lines[1],
    "[svc] INFO POST /mcp 200 1ms",
    "fields the message already says are left out",
  );
  assert.match(lines[2] ?? "", /^\[svc\] WARN careful Error: boom$/);
  assert.match(lines[3] ?? "", /^\s+at /);
  assert.ok(!lines.some((line) => line.includes("hidden")));
});

test("batched info lines still come before a later warning or error", async () => {
  for (const format of ["human", "json"] as const) {
    const logger = stderrLogger("svc", "info", format);
    const lines = await captured(() => {
      logger.info("first");
      logger.info("second");
      logger.error("third");
      logger.info("fourth");
    });
    const order = lines.map((line) => /first|second|third|fourth/.exec(line)?.[0]);
    assert.deepEqual(order, ["first", "second", "third", "fourth"], format);
  }
});

test("a line waiting in the batch is written when the process exits", () => {
  const script = `
    import { stderrLogger } from "./src/logger.ts";
    stderrLogger("svc", "info", "json").info("last words");
    process.exit(0);`;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stderr, /"msg":"last words"/);
});

test("level and format change in place on the built-in logger, never on one of the user's", async () => {
  const logger = stderrLogger("svc", "info", "human");
  assert.equal(logsAt(logger, "debug"), false);
  assert.equal(configureLogger(logger, { level: "debug", format: "json" }), true);
  assert.equal(logsAt(logger, "debug"), true);
  const [line] = await captured(() => logger.debug("now visible"));
  assert.equal((JSON.parse(line ?? "") as { msg: string }).msg, "now visible");
  assert.equal(configureLogger(logger, { level: "silent" }), true);
  assert.deepEqual(await captured(() => logger.error("gone")), []);

  const mine: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  assert.equal(configureLogger(mine, { level: "error" }), false);
  assert.equal(logsAt(mine, "debug"), true, "a logger of the user's own filters by itself");
});
