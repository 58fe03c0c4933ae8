/**
 * Abusive clients over loopback: a thousand connections dropped in the middle
 * of a request (before the body is complete, and after it, while the handler
 * runs) leave the server serving others, logging no error, and holding
 * nothing for them afterwards. Timing is measured by `npm run bench`, not here.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP, type Logger } from "../../src/index.ts";
import { serveHttp } from "../helpers/http.ts";

function errorLogger(lines: string[]): Logger {
  const quiet = () => {};
  return { debug: quiet, info: quiet, warn: quiet, error: (message) => void lines.push(message) };
}

const CALL = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "slow_add", arguments: { a: 1, b: 2 } },
});

/** Opens a connection, writes `text`, and destroys it as soon as it is written. */
function dropAfterWriting(port: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(text, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on("error", () => resolve());
  });
}

function request(path: string, body: string, declaredLength = Buffer.byteLength(body)): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n` +
    `Content-Length: ${declaredLength}\r\n\r\n${body}`
  );
}

test("1,000 connections dropped mid-request: others are served, nothing is logged or kept", async () => {
  const errors: string[] = [];
  const mcp = new FastMCP("Abused", { logger: errorLogger(errors), statelessHttp: true });
  let running = 0;
  let finished = 0;
  mcp.tool("slow_add", { input: { a: z.number(), b: z.number() } }, async ({ a, b }, ctx) => {
    running++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ctx.reportProgress(1, 1);
    finished++;
    return a + b;
  });
  const served = await serveHttp(mcp);
  const path = new URL(served.url).pathname;
  const call = () =>
    fetch(served.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
      },
      body: CALL,
    }).then(async (response) => ({ status: response.status, text: await response.text() }));
  try {
    const normal: Promise<{ status: number; text: string }>[] = [];
    for (let wave = 0; wave < 10; wave++) {
      const drops: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        // Half the body, then gone.
        drops.push(dropAfterWriting(served.port, request(path, CALL.slice(0, 40), CALL.length)));
        // The whole request, then gone while the handler runs.
        drops.push(dropAfterWriting(served.port, request(path, CALL)));
      }
      normal.push(call());
      await Promise.all(drops);
    }
    for (const { status, text } of await Promise.all(normal)) {
      assert.equal(status, 200);
      assert.match(text, /"text":"3"/);
    }
    // Every handler that started also finished: a dropped legacy request runs to its end
    // (the spec says a disconnect is not a cancellation), and nothing waits on a dead socket.
    const deadline = Date.now() + 10_000;
    while (finished < running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(finished, running);
    assert.deepEqual(errors, []);
    assert.equal(await mcp.sessions.size(), 0);
    assert.deepEqual((await call()).status, 200);
  } finally {
    await served.stop();
  }
});
