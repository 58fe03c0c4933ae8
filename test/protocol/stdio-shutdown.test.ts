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
