/**
 * mcp.fetch in the 2026-07-28 era: a client that goes away (its request
 * aborted, or the SSE stream cancelled) aborts ctx.signal. (In the legacy era
 * a dropped stream is not a cancellation: the client may resume it.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META } from "../helpers/http.ts";

function server() {
  const mcp = new FastMCP("fetch-close");
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const aborted = new Promise<unknown>((resolve) => {
    mcp.tool("wait", async (_args, ctx) => {
      // A progress notification first, so the answer is an SSE stream.
      await ctx.reportProgress(1, 2);
      started();
      await new Promise<void>((done) => {
        ctx.signal.addEventListener("abort", () => done(), { once: true });
      });
      resolve(ctx.signal.reason);
      return "finished anyway";
    });
  });
  return { mcp, running, aborted };
}

function call(signal?: AbortSignal): Request {
  return new Request("http://localhost/mcp", {
    method: "POST",
    headers: { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "wait" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "wait", _meta: { ...MODERN_META, progressToken: "p" } },
    }),
    ...(signal ? { signal } : {}),
  });
}

test("mcp.fetch: the request's signal aborting aborts the running handler", async () => {
  const { mcp, running, aborted } = server();
  try {
    const client = new AbortController();
    const response = mcp.fetch(call(client.signal));
    await running;
    client.abort(new Error("the client hung up"));
    assert.match(String((await aborted) as Error), /the client hung up/);
    await response;
  } finally {
    await mcp.close();
  }
});

test("mcp.fetch: cancelling the SSE stream aborts the running handler", async () => {
  const { mcp, running, aborted } = server();
  try {
    const response = await mcp.fetch(call());
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    await running;
    await response.body?.cancel(new Error("the reader stopped"));
    assert.match(String((await aborted) as Error), /the reader stopped/);
  } finally {
    await mcp.close();
  }
});
