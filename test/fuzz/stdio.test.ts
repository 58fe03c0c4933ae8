/**
 * Fuzzing over stdio, through the real StdioServerTransport: generated lines
 * (messages of both eras, and text that is not JSON) each get exactly the
 * answers JSON-RPC requires, and the channel keeps serving.
 */
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import fc from "fast-check";
import { StdioServerTransport } from "../../src/index.ts";
import { INITIALIZE } from "../helpers/raw.ts";
import { expectedAnswer, messageArbitrary } from "./messages.ts";
import { answerProblem, endCase, fuzz } from "./properties.ts";
import { type ErrorLog, fuzzServer } from "./server.ts";
import { wireText } from "./wire-text.ts";

const WAIT_MS = 5000;

/** One line to send, and the message it carries (undefined for text that is not JSON). */
const lineArbitrary = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .oneof(messageArbitrary("legacy"), messageArbitrary("modern"))
      .map((message) => ({ line: wireText(message), message })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 200 })
      .filter((text) => !text.includes("\n") && !isJson(text))
      .map((line) => ({ line, message: Symbol.for("not json") as unknown })),
  },
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return text.trim() === ""; // a blank line is skipped, not answered
  }
}

test("stdio: every line gets the answers JSON-RPC requires, and the channel keeps serving", async () => {
  const errors: ErrorLog = { lines: [] };
  const mcp = fuzzServer(errors);
  const input = new PassThrough();
  const output = new PassThrough();
  const received: Record<string, unknown>[] = [];
  let wake: () => void = () => {};
  let buffered = "";
  output.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
      received.push(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>);
      buffered = buffered.slice(end + 1);
    }
    wake();
  });
  await mcp.connect(new StdioServerTransport(input, output));
  const send = (line: string) => input.write(`${line}\n`);
  /** Waits until `ready` holds for what has arrived, or fails after WAIT_MS. */
  const until = async (ready: () => boolean, what: string) => {
    const deadline = Date.now() + WAIT_MS;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${WAIT_MS} ms (a hang)`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  // A legacy session for the legacy messages; modern ones carry their own _meta.
  send(JSON.stringify(INITIALIZE));

  await until(() => received.some((m) => m.id === "init"), "initialize answer");
  received.length = 0;

  let sentinel = 0;
  await fuzz(
    fc.asyncProperty(lineArbitrary, async ({ line, message }) => {
      const notJson = message === Symbol.for("not json");
      const start = received.length;
      const id = `sentinel-${++sentinel}`;
      send(line);
      send(JSON.stringify({ jsonrpc: "2.0", id, method: "ping" }));
      const answers = () => received.slice(start).filter((m) => m.id !== id && !("method" in m));
      await until(
        () => received.slice(start).some((m) => m.id === id),
        "answer to a ping after it",
      );
      const wanted = notJson || expectedAnswer(message) !== undefined ? 1 : 0;
      if (wanted > 0) await until(() => answers().length >= wanted, "answer");
      const got = answers();
      const problem = notJson
        ? got.length === 1 && (got[0]?.error as { code?: number } | undefined)?.code === -32700
          ? undefined
          : `text that is not JSON got ${JSON.stringify(got).slice(0, 300)}`
        : answerProblem(message, got);
      endCase(problem, errors);
    }),
    3000,
  );
  send(JSON.stringify({ jsonrpc: "2.0", id: "last", method: "ping" }));
  await until(() => received.some((m) => m.id === "last"), "last ping");
  input.end();
  await mcp.close();
  assert.ok(sentinel > 0);
});
