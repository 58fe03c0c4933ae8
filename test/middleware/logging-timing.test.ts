/**
 * logging() and timing(): one entry per request with what the docs promise
 * (method, target, status, error code, duration, session, client, subject),
 * never the token, arguments only when asked for.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP, type Logger, ToolError } from "../../src/index.ts";
import {
  logging,
  type RequestLogEntry,
  type RequestTiming,
  timing,
} from "../../src/middleware/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import { serveHttp } from "../helpers/http.ts";

function server(entries: RequestLogEntry[], timings: RequestTiming[], includeArguments = false) {
  const mcp = new FastMCP("logged", {
    logLevel: "error",
    tokenVerifier: new StaticTokenVerifier({
      "secret-token-value": { scopes: [], subject: "alice", clientId: "app" },
    }),
  });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  mcp.tool("fail", () => {
    throw new ToolError("nope");
  });
  mcp.use(timing((t) => timings.push(t)));
  mcp.use(logging({ sink: (e) => entries.push(e), includeArguments }));
  return mcp;
}

test("legacy, v1 client in memory: one entry per request, errors with their code", async () => {
  const entries: RequestLogEntry[] = [];
  const timings: RequestTiming[] = [];
  const { client, close } = await v1InMemory(server(entries, timings));
  try {
    await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    await client.callTool({ name: "fail", arguments: {} });
    await client.callTool({ name: "missing", arguments: {} }).catch(() => undefined);
  } finally {
    await close();
  }
  const calls = entries.filter((e) => e.method === "tools/call");
  assert.deepEqual(
    calls.map((e) => [e.target, e.status, e.errorCode]),
    [
      ["add", "ok", undefined],
      ["fail", "tool_error", undefined],
      ["missing", "error", -32602],
    ],
  );
  const first = calls[0] as RequestLogEntry;
  assert.equal(first.era, "legacy");
  assert.equal(first.client, "v1-test/1.0.0");
  assert.equal(typeof first.sessionId, "string");
  assert.ok(first.durationMs >= 0);
  assert.equal(first.arguments, undefined, "arguments only when opted in");
  assert.equal(entries[0]?.method, "initialize");
  // timing() saw the same requests, in the same order, with the same outcome.
  assert.deepEqual(
    timings.map((t) => [t.method, t.status, t.errorCode]),
    entries.map((e) => [e.method, e.status, e.errorCode]),
  );
});

test("2026-07-28 over HTTP with a token: the subject, never the token; arguments when opted in", async () => {
  const entries: RequestLogEntry[] = [];
  const served = await serveHttp(server(entries, [], true));
  try {
    const connection = await v2HttpWithToken(served.url, "secret-token-value");
    try {
      await connection.client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    } finally {
      await connection.close();
    }
  } finally {
    await served.stop();
  }
  const call = entries.find((e) => e.method === "tools/call");
  assert.ok(call);
  assert.equal(call.era, "modern");
  assert.equal(call.protocolVersion, "2026-07-28");
  assert.equal(call.subject, "alice");
  assert.equal(call.sessionId, undefined);
  assert.deepEqual(call.arguments, { a: 2, b: 3 });
  assert.doesNotMatch(JSON.stringify(entries), /secret-token-value/);
});

async function v2HttpWithToken(url: string, token: string) {
  const { Client, StreamableHTTPClientTransport } = await import("@modelcontextprotocol/client");
  const client = new Client(
    { name: "v2-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return { client, close: () => client.close() };
}

test("logging({ logger }) writes one line per request to the logger, failures as warnings", async () => {
  const lines: [string, string, unknown][] = [];
  const logger: Logger = {
    debug: (m, d) => lines.push(["debug", m, d]),
    info: (m, d) => lines.push(["info", m, d]),
    warn: (m, d) => lines.push(["warn", m, d]),
    error: (m, d) => lines.push(["error", m, d]),
  };
  const mcp = new FastMCP("lines", { logLevel: "error" });
  mcp.tool("ok", () => "fine");
  mcp.use(logging({ logger }));
  const { client, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
  try {
    await client.callTool({ name: "ok", arguments: {} });
    await client.callTool({ name: "unknown", arguments: {} }).catch(() => undefined);
  } finally {
    await close();
  }
  const calls = lines.filter(([, m]) => m.startsWith("tools/call"));
  assert.equal(calls.length, 2);
  assert.match(calls[0]?.[1] ?? "", /^tools\/call ok ok \d+\.\dms( client=v2-test\/1\.0\.0)?$/);
  assert.match(calls[1]?.[1] ?? "", /^tools\/call unknown error -32602 \d+\.\dms/);
  assert.equal(calls[0]?.[0], "info");
  assert.equal(calls[1]?.[0], "warn");
  assert.equal((calls[1]?.[2] as RequestLogEntry | undefined)?.errorCode, -32602);
});

test("logging() and timing() refuse bad options", () => {
  assert.throws(() => logging({} as never), /needs \{ logger \} or \{ sink \}/);
  assert.throws(
    () => logging({ sink: () => {}, includeArgs: true } as never),
    /unknown option "includeArgs"/,
  );
  assert.throws(() => logging({ sink: () => {}, level: "warn" } as never), /level must be/);
  assert.throws(() => timing("no" as never), /report must be a function/);
});
