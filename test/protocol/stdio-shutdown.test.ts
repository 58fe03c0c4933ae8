/**
 * The spec's stdio shutdown starts with the client closing the server's stdin.
 * What the client sent before that is still answered, then the process exits
 * by itself: `printf '...' | node server.js` gets every answer.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { stdioCommand } from "../helpers/clients.ts";
import { INITIALIZE } from "../helpers/raw.ts";

test("stdin closed after a burst of requests: every one is answered, then the server exits", async () => {
  const { command, args } = stdioCommand("test/fixtures/tools-server.ts");
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = [
    INITIALIZE,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 2, method: "tools/list" },
    {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "progress", arguments: { steps: 3 }, _meta: { progressToken: "p" } },
    },
    {
      jsonrpc: "2.0",
      id: 4,
      method: "tools/call",
      params: { name: "add", arguments: { a: 1, b: 2 } },
    },
  ].map((message) => JSON.stringify(message));
  // All at once, the last line without its newline, and stdin closed straight after.
  child.stdin.end(lines.join("\n"));

  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const messages = out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

  assert.equal(code, 0);
  const answered = messages.filter((m) => "id" in m && !("method" in m)).map((m) => m.id);
  assert.deepEqual(answered.sort(), [2, 3, 4, "init"].sort());
  for (const message of messages) assert.equal("error" in message, false, JSON.stringify(message));
  const progress = messages.filter((m) => m.method === "notifications/progress");
  assert.equal(progress.length, 3);
  const add = messages.find((m) => m.id === 4) as { result: { content: { text: string }[] } };
  assert.equal(add.result.content[0]?.text, "3");
});

/** Runs `file` over stdio, writes `messages`, and collects what comes back. */
function stdioServer(file: string) {
  const { command, args } = stdioCommand(file);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const messages: Record<string, unknown>[] = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) messages.push(JSON.parse(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const answer = async (id: unknown) => {
    while (!messages.some((m) => m.id === id && !("method" in m)))
      await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { child, messages, exited, answer };
}

test("stdin closed while a subscriptions/listen stream is open: the stream ends with its result, then the server exits", async () => {
  const server = stdioServer("test/fixtures/tools-server.ts");
  const meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  server.child.stdin.write(
    `${JSON.stringify({
      jsonrpc: "2.0",
      id: "listen",
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true }, _meta: meta },
    })}\n`,
  );
  while (!server.messages.some((m) => m.method === "notifications/subscriptions/acknowledged"))
    await new Promise((resolve) => setTimeout(resolve, 5));
  server.child.stdin.end();
  assert.equal(await server.exited, 0);
  // Had the stream been left to the end of the grace period, the channel would
  // have closed first and its result would never have been written.
  const result = server.messages.find((m) => m.id === "listen") as { result?: unknown };
  assert.ok(result?.result, JSON.stringify(server.messages));
});

test("SIGTERM after stdin has ended stops the server at once, even with a handler that never returns", async () => {
  const server = stdioServer("test/fixtures/stuck-server.ts");
  server.child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  await server.answer("init");
  server.child.stdin.end(
    `${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "never_returns" } })}\n`,
  );
  // Give the input's end time to arrive, then stop the server as a client would.
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.child.kill("SIGTERM");
  // Well before the 10 s that requests get after stdin ends: SIGTERM does not wait for them.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    server.exited.then((code) => `exited ${code}`),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve("still running 6 s after SIGTERM"), 6000);
    }),
  ]);
  clearTimeout(timer);
  if (outcome !== "exited 0") server.child.kill("SIGKILL");
  assert.equal(outcome, "exited 0");
});
