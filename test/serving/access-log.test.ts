/**
 * The access log under run() over HTTP: one line per request, written when
 * the response closes, with the MCP method and target the endpoint read from
 * the body, the start of the session id, and no header value.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP, type Logger } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META, post, serveHttp, v1Http, v2Http } from "../helpers/http.ts";

interface Line {
  level: string;
  text: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: Line[]): Logger {
  const at =
    (level: string) =>
    (text: string, ...details: unknown[]) => {
      const fields = details.find(
        (d) => typeof d === "object" && d !== null && !(d instanceof Error),
      );
      lines.push({ level, text, fields: (fields ?? {}) as Record<string, unknown> });
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function server(lines: Line[]): FastMCP {
  const mcp = new FastMCP("Logged", { logger: recordingLogger(lines) });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  mcp.tool("progress", { input: {} }, async (_args, ctx) => {
    await ctx.reportProgress(1, 2);
    return "done";
  });
  mcp.prompt("greet", () => "hello");
  mcp.resource("info://about", () => "about");
  return mcp;
}

const accessLines = (lines: Line[]) => lines.filter((line) => "status" in line.fields);

/** Lines are written on the response's close, a moment after the client has its answer. */
async function settle(lines: Line[], count: number): Promise<Line[]> {
  for (let i = 0; i < 100 && accessLines(lines).length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return accessLines(lines);
}

test("legacy session: one info line per request, naming the MCP method, its target and the session", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines));
  try {
    const { client, close } = await v1Http(served.url);
    await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    await client.getPrompt({ name: "greet" });
    await client.readResource({ uri: "info://about" });
    await close();
    const access = await settle(lines, 6);
    const posts = access.filter((line) => line.fields.method === "POST");
    const byMcp = new Map(posts.map((line) => [line.fields.mcpMethod, line]));
    for (const method of ["initialize", "notifications/initialized", "tools/call"])
      assert.ok(byMcp.has(method), `${method}: ${access.map((l) => l.text).join("\n")}`);
    const call = byMcp.get("tools/call") as Line;
    assert.equal(call.level, "info");
    assert.equal(call.fields.tool, "add");
    assert.equal(call.fields.path, "/mcp");
    assert.equal(call.fields.status, 200);
    assert.equal(typeof call.fields.durationMs, "number");
    assert.match(call.text, /^POST \/mcp 200 [\d.]+ms tools\/call add session=\S{8}$/);
    assert.equal(byMcp.get("prompts/get")?.fields.prompt, "greet");
    assert.equal(byMcp.get("resources/read")?.fields.resource, "info://about");
    // The session: 8 characters, the same on every line of it, from initialize's response on.
    const sessions = new Set(posts.map((line) => line.fields.session));
    assert.equal(sessions.size, 1, posts.map((l) => l.text).join("\n"));
    assert.equal(String([...sessions][0]).length, 8);
  } finally {
    await served.stop();
  }
});

test("a 2026-07-28 request is logged with its method and tool, without a session", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines));
  try {
    const { client, close } = await v2Http(served.url, { pin: "2026-07-28" });
    await client.callTool({ name: "add", arguments: { a: 2, b: 2 } });
    await close();
    const access = await settle(lines, 1);
    const call = access.find((line) => line.fields.mcpMethod === "tools/call");
    assert.ok(call, access.map((l) => l.text).join("\n"));
    assert.equal(call.fields.tool, "add");
    assert.equal(call.fields.session, undefined);
  } finally {
    await served.stop();
  }
});

test("no header value reaches the log: not a bearer token, not the query, not a custom header", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines));
  try {
    const secret = "sk-live-1234567890abcdef";
    await post(
      `${served.url}?access_token=${secret}`,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "add", arguments: { a: 1, b: 1 }, _meta: MODERN_META },
      },
      {
        ...MODERN_HEADERS,
        authorization: `Bearer ${secret}`,
        "x-api-key": secret,
        "mcp-name": "add",
        "mcp-method": "tools/call",
      },
    );
    const [line] = await settle(lines, 1);
    assert.ok(line);
    assert.equal(line.fields.path, "/mcp");
    const everything = JSON.stringify(lines);
    assert.ok(!everything.includes(secret), everything);
    assert.ok(!everything.includes("access_token"), everything);
  } finally {
    await served.stop();
  }
});

test("a client's names cannot forge lines: control characters are quoted, long names cut", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines));
  try {
    const forged = "add\n[Logged] INFO POST /mcp 200 1ms tools/call admin";
    await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: forged, _meta: MODERN_META } },
      { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "add" },
    );
    await post(
      served.url,
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "x".repeat(5000), _meta: MODERN_META },
      },
      MODERN_HEADERS,
    );
    const access = await settle(lines, 2);
    for (const line of access) {
      assert.ok(!line.text.includes("\n"), line.text);
      assert.ok(line.text.length < 300, `${line.text.length} characters`);
    }
    assert.ok(access.some((line) => line.text.includes(JSON.stringify(forged))));
  } finally {
    await served.stop();
  }
});

test("an SSE stream is logged once, when it ends, with its whole duration", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines));
  try {
    // A progress token makes the call answer as an SSE stream.
    const { client, close } = await v1Http(served.url);
    const updates: unknown[] = [];
    await client.callTool({ name: "progress", arguments: {} }, undefined, {
      onprogress: (update) => void updates.push(update),
    });
    assert.equal(updates.length, 1);
    // The session's standalone GET stream stays open until the client closes.
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(accessLines(lines).filter((line) => line.fields.method === "GET").length, 0);
    await close();
    const access = await settle(lines, 4);
    const calls = access.filter((line) => line.fields.tool === "progress");
    assert.equal(calls.length, 1, access.map((l) => l.text).join("\n"));
    const gets = access.filter((line) => line.fields.method === "GET");
    assert.equal(gets.length, 1, access.map((l) => l.text).join("\n"));
    assert.ok((gets[0]?.fields.durationMs as number) >= 150);
  } finally {
    await served.stop();
  }
});

test("accessLog: false writes nothing per request; neither does a level above info", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(server(lines), { accessLog: false });
  try {
    const { client, close } = await v1Http(served.url);
    await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    await close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(accessLines(lines), []);
  } finally {
    await served.stop();
  }

  const written = await captureStderr(async () => {
    const mcp = new FastMCP("Quiet", { logLevel: "warn" });
    mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
    const quiet = await serveHttp(mcp, { logLevel: "warn" });
    try {
      await post(
        quiet.url,
        { jsonrpc: "2.0", id: 1, method: "ping", params: { _meta: MODERN_META } },
        MODERN_HEADERS,
      );
    } finally {
      await quiet.stop();
    }
  });
  assert.equal(written, "");
});

test("the built-in logger: the human line says it all once; JSON carries the fields", async () => {
  for (const format of ["human", "json"] as const) {
    const written = await captureStderr(async () => {
      const mcp = new FastMCP("Plain");
      mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
      const served = await serveHttp(mcp, { logLevel: "info", logFormat: format });
      try {
        await post(
          served.url,
          {
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "add", arguments: { a: 1, b: 2 }, _meta: MODERN_META },
          },
          { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "add" },
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        await served.stop();
      }
    });
    const line = written.split("\n").find((l) => l.includes("tools/call"));
    assert.ok(line, written);
    if (format === "human")
      assert.match(line, /^\[Plain\] INFO POST \/mcp 200 [\d.]+ms tools\/call add$/);
    else {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      assert.equal(parsed.level, "info");
      assert.equal(parsed.server, "Plain");
      assert.match(String(parsed.msg), /^POST \/mcp 200 [\d.]+ms tools\/call add$/);
      assert.equal(parsed.method, "POST");
      assert.equal(parsed.status, 200);
      assert.equal(parsed.mcpMethod, "tools/call");
      assert.equal(parsed.tool, "add");
      assert.match(String(parsed.time), /^\d{4}-\d\d-\d\dT/);
    }
  }
});

/** What the process writes to stderr while `run` runs (the built-in logger writes there). */
async function captureStderr(run: () => Promise<void>): Promise<string> {
  const original = process.stderr.write;
  const originalError = console.error;
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => {
    text += `${args.map(String).join(" ")}\n`;
  };
  try {
    await run();
  } finally {
    process.stderr.write = original;
    console.error = originalError;
  }
  return text;
}
