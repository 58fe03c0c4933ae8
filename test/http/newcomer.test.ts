/**
 * What a person meets when they start a server by hand: where it is and how
 * to connect (HTTP and a stdio server in a terminal), a page for a browser
 * that opens the MCP URL, and the Python guide's transport="sse".
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport as V1Sse } from "@modelcontextprotocol/sdk/client/sse.js";
import { z } from "zod";
import { FastMCP, type Logger } from "../../src/index.ts";
import { buildToolsServer } from "../fixtures/tools-server.ts";
import { serveHttp } from "../helpers/http.ts";

function recordingLogger(lines: string[]): Logger {
  const write = (message: string) => void lines.push(message);
  return { debug: write, info: write, warn: write, error: write };
}

/** Runs a server over HTTP on a free port until the test is done with it. */
async function running(mcp: FastMCP, transport: "streamable-http" | "sse") {
  const stop = new AbortController();
  let listened: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    listened = resolve;
  });
  const done = mcp.run({
    transport,
    port: 0,
    signal: stop.signal,
    onListening: ({ url }) => listened(url),
  });
  const url = await Promise.race([listening, done.then(() => "")]);
  return {
    url,
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

test("run() over HTTP logs the URL and how to try it", async () => {
  const lines: string[] = [];
  const mcp = new FastMCP("Hinted", { logger: recordingLogger(lines) });
  const { url, stop } = await running(mcp, "streamable-http");
  await stop();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  assert.ok(lines.includes(`Serving MCP over Streamable HTTP at ${url}`), lines.join("\n"));
  assert.ok(
    lines.includes(
      `Connect an MCP client to ${url}, or try it: npx @modelcontextprotocol/inspector --cli ${url} --transport http --method tools/list`,
    ),
    lines.join("\n"),
  );
});

test('transport: "sse" serves the 2024-11-05 HTTP+SSE transport, and a v1 SSE client uses it', async () => {
  const lines: string[] = [];
  const mcp = new FastMCP("Sse", { logger: recordingLogger(lines) });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  const { url, stop } = await running(mcp, "sse");
  try {
    const sse = new URL("/sse", url);
    assert.ok(
      lines.includes(`Serving the 2024-11-05 HTTP+SSE transport at ${sse} (messages: /messages)`),
      lines.join("\n"),
    );
    const client = new V1Client({ name: "sse", version: "1.0.0" });
    await client.connect(new V1Sse(sse));
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(result.content, [{ type: "text", text: "5" }]);
    await client.close();
  } finally {
    await stop();
  }
});

test('transport: "sse" with legacySse: false is a contradiction, and says so', async () => {
  await assert.rejects(
    // A regression would serve instead of throwing: the signal keeps it from hanging the suite.
    new FastMCP("s").run({
      transport: "sse",
      legacySse: false,
      port: 0,
      signal: AbortSignal.timeout(5000),
    }),
    /transport "sse" serves the 2024-11-05 HTTP\+SSE transport, so legacySse cannot be false/,
  );
});

test("a browser opening the MCP URL gets a page saying what it is; clients are unaffected", async () => {
  const served = await serveHttp(buildToolsServer());
  try {
    const page = await fetch(served.url, {
      headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
    });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const body = await page.text();
    assert.match(body, /This is an MCP server/);
    assert.ok(body.includes(`--cli ${served.url} --transport http`), body);
    // An SSE GET without a session is still the protocol's 400.
    const stream = await fetch(served.url, { headers: { accept: "text/event-stream" } });
    assert.equal(stream.status, 400);
    assert.match(await stream.text(), /Mcp-Session-Id header is required/);
  } finally {
    await served.stop();
  }
});

test("a stdio server started in a terminal says it waits for a client, and how to try it", async () => {
  // `script` gives the server a pseudo-terminal for stdin, as a shell would.
  const command = `${process.execPath} --import tsx test/fixtures/tools-server.ts`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FASTMCP_LOG_LEVEL: "info" },
  });
  let out = "";
  const seen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no hint in: ${out}`)), 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("try it with the MCP Inspector")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await seen;
    assert.match(
      out,
      /serves MCP on stdio: it waits for an MCP client to write to its stdin, so typing here does nothing useful\. Give clients the command instead, or try it with the MCP Inspector: npx @modelcontextprotocol\/inspector npx tsx test\/fixtures\/tools-server\.ts/,
    );
  } finally {
    child.kill("SIGKILL");
  }
});
