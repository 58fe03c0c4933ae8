/** Shutdown, cancellation by closing the stream, keep-alives, and what handlers see of HTTP. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import {
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  post,
  serveHttp,
  v2Http,
} from "../helpers/http.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("graceful shutdown: a running call finishes, new connections are refused, the lifespan ends", async () => {
  const events: string[] = [];
  const mcp = new FastMCP("Graceful", {
    lifespan: async function* () {
      events.push("lifespan start");
      try {
        yield {};
      } finally {
        events.push("lifespan end");
      }
    },
  });
  mcp.tool("slow", async () => {
    await sleep(200);
    events.push("slow done");
    return "finished";
  });
  const served = await serveHttp(mcp, { shutdownTimeoutMs: 5000 });
  const session = await legacySession(served.url);
  const call = post(
    served.url,
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slow" } },
    {
      ...LEGACY_HEADERS,
      "mcp-session-id": session,
    },
  );
  await sleep(50);
  const stopping = served.stop();
  await sleep(20);
  await assert.rejects(
    fetch(served.url, { method: "POST", body: "{}", headers: { connection: "close" } }),
  );
  const response = await call;
  assert.deepEqual((response.body as { result: unknown }).result, {
    content: [{ type: "text", text: "finished" }],
  });
  await stopping;
  assert.deepEqual(events, ["lifespan start", "slow done", "lifespan end"]);
});

test("shutdown aborts what outlives the deadline", async () => {
  let aborted = false;
  const mcp = new FastMCP("Deadline");
  mcp.tool("forever", async (_args, ctx) => {
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    aborted = true;
    return "stopped";
  });
  const served = await serveHttp(mcp, { shutdownTimeoutMs: 100 });
  const session = await legacySession(served.url);
  void post(
    served.url,
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "forever" } },
    {
      ...LEGACY_HEADERS,
      "mcp-session-id": session,
    },
  ).catch(() => undefined);
  await sleep(50);
  await served.stop();
  assert.equal(aborted, true);
});

test("2026-07-28: closing the response stream cancels the request", async () => {
  let reason: unknown;
  const started = deferred();
  const mcp = new FastMCP("CancelOnClose");
  mcp.tool("wait", async (_args, ctx) => {
    started.resolve();
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    reason = ctx.signal.reason;
    return "late";
  });
  const served = await serveHttp(mcp);
  try {
    const controller = new AbortController();
    const call = fetch(served.url, {
      method: "POST",
      headers: { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "wait" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "wait", _meta: MODERN_META },
      }),
      signal: controller.signal,
    }).catch(() => undefined);
    await started.promise;
    controller.abort();
    await call;
    for (let i = 0; i < 50 && reason === undefined; i++) await sleep(10);
    assert.ok(reason instanceof Error, "the handler's signal aborted");
  } finally {
    await served.stop();
  }
});

test("2026-07-28: the v2 client's AbortSignal reaches the handler over HTTP", async () => {
  const aborted = deferred();
  const started = deferred();
  const mcp = new FastMCP("V2Abort");
  mcp.tool("wait", async (_args, ctx) => {
    started.resolve();
    ctx.signal.addEventListener("abort", () => aborted.resolve(), { once: true });
    await aborted.promise;
    return "late";
  });
  const served = await serveHttp(mcp);
  const { client, close } = await v2Http(served.url, { pin: "2026-07-28" });
  try {
    const controller = new AbortController();
    const call = client.callTool({ name: "wait", arguments: {} }, { signal: controller.signal });
    await started.promise;
    controller.abort("user gave up");
    await assert.rejects(call);
    await aborted.promise;
  } finally {
    await close();
    await served.stop();
  }
});

test("SSE streams carry keep-alive comments while a call is quiet", async () => {
  const mcp = new FastMCP("KeepAlive", { http: { sseKeepAliveMs: 30 } });
  mcp.tool("quiet", async (_args, ctx) => {
    await ctx.reportProgress(0, 1);
    await sleep(120);
    return "done";
  });
  const served = await serveHttp(mcp);
  try {
    const session = await legacySession(served.url);
    const response = await fetch(served.url, {
      method: "POST",
      headers: { ...LEGACY_HEADERS, "mcp-session-id": session },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "quiet", _meta: { progressToken: 1 } },
      }),
    });
    const body = await response.text();
    assert.match(body, /^: keep-alive$/m);
  } finally {
    await served.stop();
  }
});

test("ctx.http shows the carrying request without credentials", async () => {
  const mcp = new FastMCP("HttpInfo", { statelessHttp: true });
  mcp.tool("whoami", { input: { x: z.number().optional() } }, (_args, ctx) =>
    JSON.stringify(ctx.http),
  );
  const served = await serveHttp(mcp);
  try {
    const r = await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami" } },
      { ...LEGACY_HEADERS, authorization: "Bearer secret", cookie: "a=b", "x-trace": "t1" },
    );
    const seen = JSON.parse(
      (r.body as { result: { content: { text: string }[] } }).result.content[0]?.text ?? "{}",
    ) as {
      method: string;
      url: string;
      headers: Record<string, string>;
    };
    assert.equal(seen.method, "POST");
    assert.equal(seen.url, served.url);
    assert.equal(seen.headers["x-trace"], "t1");
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers.cookie, undefined);
  } finally {
    await served.stop();
  }
});
