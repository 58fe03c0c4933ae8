/**
 * One stdin, one reader: a second run() or connect() of stdio while the first
 * runs would answer every request twice (and run its side effects twice).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { FastMCP, StdioServerTransport } from "../../src/index.ts";
import { stdioCommand } from "../helpers/clients.ts";
import { INITIALIZE } from "../helpers/raw.ts";

test("void mcp.run(); await mcp.run(): the second is refused, the first answers each request once", async () => {
  const { command, args } = stdioCommand("test/fixtures/double-run-server.ts");
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const call = (id: number) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "count", arguments: { by: 1 } },
  });
  const lines = [
    INITIALIZE,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    call(2),
    call(3),
  ];
  child.stdin.end(`${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

  assert.equal(code, 0, err);
  assert.match(err, /second run: stdin is already being served .*serve stdio once per process/);
  const answers = out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { id?: unknown; result?: { content: { text: string }[] } });
  assert.deepEqual(
    answers.map((answer) => answer.id),
    ["init", 2, 3],
  );
  // The tool ran once per call: the counter reads 1, then 2.
  assert.deepEqual(
    answers.slice(1).map((answer) => answer.result?.content[0]?.text),
    ["1", "2"],
  );
});

test("a second transport on a stream already served is refused; once the first closes, it may start", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const first = new FastMCP("first");
  const second = new FastMCP("second");
  const firstTransport = new StdioServerTransport(input, output);
  await first.connect(firstTransport);
  await assert.rejects(
    second.connect(new StdioServerTransport(input, output)),
    /already being served by another StdioServerTransport/,
  );
  await assert.rejects(first.connect(firstTransport), /already started/);
  await first.close();
  const again = new StdioServerTransport(input, output);
  await second.connect(again);
  await second.close();
});
