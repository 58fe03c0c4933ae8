/**
 * Fuzzing in-process, through the engine as every transport reaches it: each
 * generated message of either era gets exactly the answer JSON-RPC says, no
 * internal error, no ERROR log, no hang, and nothing leaks into
 * Object.prototype; the server still answers a normal call after.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Envelope } from "../../src/index.ts";
import { type Era, messageArbitrary } from "./messages.ts";
import { answerProblem, endCase, fuzz } from "./properties.ts";
import { type ErrorLog, fuzzServer } from "./server.ts";

const HANG_MS = 5000;

for (const era of ["legacy", "modern"] as const satisfies readonly Era[]) {
  test(`engine, ${era} era: every message gets the answer JSON-RPC requires`, async () => {
    const errors: ErrorLog = { lines: [] };
    const mcp = fuzzServer(errors);
    await mcp.start();
    const envelope: Envelope = {
      outbound: { send() {} },
      channelId: "fuzz",
      legacyVersion: "2025-11-25",
    };
    await fuzz(
      fc.asyncProperty(messageArbitrary(era), async (message) => {
        const answer = await withTimeout(mcp.handleMessage(message, envelope), HANG_MS);
        endCase(answerProblem(message, answer === undefined ? [] : [answer]), errors);
      }),
      10_000,
    );
    const after = await mcp.handleMessage(
      {
        jsonrpc: "2.0",
        id: "after",
        method: "tools/call",
        params: { name: "add", arguments: { a: 2, b: 3 } },
      },
      envelope,
    );
    assert.deepEqual((after as { result?: { content?: unknown } }).result?.content, [
      { type: "text", text: "5" },
    ]);
    await mcp.close();
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (a hang)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
