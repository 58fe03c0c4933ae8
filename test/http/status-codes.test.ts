/** Every HTTP status the endpoint answers with, over real loopback HTTP. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import {
  initializeMessage,
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  post,
  type Served,
  serveHttp,
} from "../helpers/http.ts";

function buildServer(): FastMCP {
  const mcp = new FastMCP("StatusCodes", { http: { maxBodyBytes: 10_000, maxSessions: 50 } });
  mcp.tool("echo", { input: { text: z.string() } }, ({ text }) => text);
  mcp.tool(
    "route",
    {
      input: {
        type: "object",
        properties: {
          region: { type: "string", "x-mcp-header": "Region" },
          count: { type: "integer", "x-mcp-header": "Count" },
        },
      },
    },
    (args) => JSON.stringify(args),
  );
  return mcp;
}

const list = { jsonrpc: "2.0", id: 7, method: "tools/list" };
const modernCall = (name: string, args: Record<string, unknown>, id = 3) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args, _meta: MODERN_META },
});

describe("HTTP status codes", () => {
  let served: Served;
  before(async () => {
    served = await serveHttp(buildServer());
  });
  after(() => served.stop());

  test("415 for a body that is not JSON by its Content-Type", async () => {
    const r = await post(served.url, list, { ...LEGACY_HEADERS, "content-type": "text/plain" });
    assert.equal(r.status, 415);
    assert.equal((r.body as { error: { code: number } }).error.code, -32600);
  });

  test("406 when Accept admits neither JSON nor SSE", async () => {
    const r = await post(served.url, list, { ...LEGACY_HEADERS, accept: "text/html" });
    assert.equal(r.status, 406);
  });

  test("413 for a body over the limit, and the server keeps serving", async () => {
    const big = { jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(20_000) } };
    const r = await post(served.url, big);
    assert.equal(r.status, 413);
    const session = await legacySession(served.url);
    const ok = await post(served.url, list, { ...LEGACY_HEADERS, "mcp-session-id": session });
    assert.equal(ok.status, 200);
  });

  test("400 with -32700 for malformed JSON, -32600 for a batch", async () => {
    const bad = await post(served.url, "{nope");
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      jsonrpc: "2.0",
      error: { code: -32700, message: "Parse error: the body is not valid JSON" },
    });
    const batch = await post(served.url, [list, list]);
    assert.equal(batch.status, 400);
    assert.equal((batch.body as { error: { code: number } }).error.code, -32600);
  });

  test("400 without a session id, 404 for an unknown one", async () => {
    const missing = await post(served.url, list);
    assert.equal(missing.status, 400);
    assert.match((missing.body as { error: { message: string } }).error.message, /Mcp-Session-Id/);
    const unknown = await post(served.url, list, { ...LEGACY_HEADERS, "mcp-session-id": "nope" });
    assert.equal(unknown.status, 404);
  });

  test("initialize mints a fresh visible-ASCII session id each time", async () => {
    const a = await legacySession(served.url);
    const b = await legacySession(served.url);
    assert.notEqual(a, b);
    assert.match(a, /^[\x21-\x7e]{32,}$/);
  });

  test("202 for notifications and responses; DELETE ends the session, then 404", async () => {
    const session = await legacySession(served.url);
    const headers = { ...LEGACY_HEADERS, "mcp-session-id": session };
    const note = await post(
      served.url,
      { jsonrpc: "2.0", method: "notifications/whatever" },
      headers,
    );
    assert.equal(note.status, 202);
    const response = await post(served.url, { jsonrpc: "2.0", id: "s1", result: {} }, headers);
    assert.equal(response.status, 202);
    const del = await fetch(served.url, {
      method: "DELETE",
      headers: { "mcp-session-id": session },
    });
    assert.equal(del.status, 200);
    const gone = await post(served.url, list, headers);
    assert.equal(gone.status, 404);
    const again = await fetch(served.url, {
      method: "DELETE",
      headers: { "mcp-session-id": session },
    });
    assert.equal(again.status, 404);
  });

  test("405 for other methods, with Allow", async () => {
    const r = await fetch(served.url, { method: "PUT", body: "{}" });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get("allow"), "GET, POST, DELETE, OPTIONS");
  });

  test("GET: 406 without SSE in Accept, 400 without session, 409 for a second stream", async () => {
    const noAccept = await fetch(served.url, { headers: { accept: "application/json" } });
    assert.equal(noAccept.status, 406);
    const noSession = await fetch(served.url, { headers: { accept: "text/event-stream" } });
    assert.equal(noSession.status, 400);
    const session = await legacySession(served.url);
    const controller = new AbortController();
    const first = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
      signal: controller.signal,
    });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("content-type"), "text/event-stream");
    assert.equal(first.headers.get("x-accel-buffering"), "no");
    const second = await fetch(served.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    assert.equal(second.status, 409);
    controller.abort();
  });

  test("403 for a foreign Host or Origin; same-origin and loopback origins pass", async () => {
    const { request } = await import("node:http");
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(served.url, { method: "GET", headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    assert.equal(await status({ host: "evil.example", accept: "text/event-stream" }), 403);
    assert.equal(
      await status({ origin: "https://evil.example", accept: "text/event-stream" }),
      403,
    );
    // Allowed through the guards, then refused for lack of a session.
    assert.equal(
      await status({ origin: `http://localhost:${served.port}`, accept: "text/event-stream" }),
      400,
    );
    assert.equal(
      await status({ origin: "http://localhost:6274", accept: "text/event-stream" }),
      400,
    );
  });

  test("503 once the session limit is reached", async () => {
    const mcp = new FastMCP("Tiny", { http: { maxSessions: 2 } });
    const tiny = await serveHttp(mcp);
    try {
      await legacySession(tiny.url);
      await legacySession(tiny.url);
      const third = await post(tiny.url, initializeMessage());
      assert.equal(third.status, 503);
      assert.equal(third.headers.get("retry-after"), "5");
    } finally {
      await tiny.stop();
    }
  });

  test("an unsupported MCP-Protocol-Version header is 400", async () => {
    const session = await legacySession(served.url);
    const r = await post(served.url, list, {
      ...LEGACY_HEADERS,
      "mcp-session-id": session,
      "mcp-protocol-version": "1999-01-01",
    });
    assert.equal(r.status, 400);
  });

  describe("2026-07-28", () => {
    const headersFor = (method: string, name?: string) => ({
      ...MODERN_HEADERS,
      "mcp-method": method,
      ...(name === undefined ? {} : { "mcp-name": name }),
    });

    test("a valid request is 200 with a JSON result", async () => {
      const r = await post(
        served.url,
        modernCall("echo", { text: "hi" }),
        headersFor("tools/call", "echo"),
      );
      assert.equal(r.status, 200);
      assert.equal((r.body as { result: { resultType: string } }).result.resultType, "complete");
    });

    test("missing or mismatched headers are 400 with -32020, in the spec's order", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [
          { ...headersFor("tools/call", "echo"), "mcp-protocol-version": "" },
          /MCP-Protocol-Version/,
        ],
        [{ ...MODERN_HEADERS, "mcp-name": "echo" }, /missing Mcp-Method/],
        [headersFor("TOOLS/CALL", "echo"), /Mcp-Method header value 'TOOLS\/CALL'/],
        [headersFor("tools/call"), /missing Mcp-Name/],
        [headersFor("tools/call", "other"), /Mcp-Name header value 'other'/],
      ];
      for (const [headers, message] of cases) {
        if (headers["mcp-protocol-version"] === "") delete headers["mcp-protocol-version"];
        const r = await post(served.url, modernCall("echo", { text: "hi" }), headers);
        assert.equal(r.status, 400, String(message));
        const error = (r.body as { id: number; error: { code: number; message: string } }).error;
        assert.equal(error.code, -32020);
        assert.match(error.message, message);
        assert.equal((r.body as { id: number }).id, 3);
      }
    });

    test("header values are trimmed; Mcp-Name may be base64-encoded", async () => {
      const trimmed = await post(
        served.url,
        modernCall("echo", { text: "a" }),
        headersFor("tools/call", "  echo  "),
      );
      assert.equal(trimmed.status, 200);
      const encoded = await post(
        served.url,
        modernCall("echo", { text: "a" }),
        headersFor("tools/call", `=?base64?${btoa("echo")}?=`),
      );
      assert.equal(encoded.status, 200);
      const broken = await post(
        served.url,
        modernCall("echo", { text: "a" }),
        headersFor("tools/call", "=?base64?ZWNobw?="),
      );
      assert.equal(broken.status, 400);
    });

    test("Mcp-Param-* headers must mirror x-mcp-header arguments", async () => {
      const call = modernCall("route", { region: "eu-west", count: 3 });
      const good = await post(served.url, call, {
        ...headersFor("tools/call", "route"),
        "mcp-param-region": "eu-west",
        "mcp-param-count": "3",
      });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      const missing = await post(served.url, call, {
        ...headersFor("tools/call", "route"),
        "mcp-param-count": "3",
      });
      assert.equal(missing.status, 400);
      assert.match(
        (missing.body as { error: { message: string } }).error.message,
        /Mcp-Param-Region/,
      );
      const wrong = await post(served.url, call, {
        ...headersFor("tools/call", "route"),
        "mcp-param-region": "us-east",
        "mcp-param-count": "3",
      });
      assert.equal(wrong.status, 400);
      const absentArg = await post(served.url, modernCall("route", { count: 3 }), {
        ...headersFor("tools/call", "route"),
        "mcp-param-count": "3",
      });
      assert.equal(absentArg.status, 200);
    });

    test("missing _meta fields are 400 with -32602; an unknown version is 400 with -32022", async () => {
      const noMeta = await post(
        served.url,
        { jsonrpc: "2.0", id: 1, method: "server/discover", params: {} },
        headersFor("server/discover"),
      );
      assert.equal(noMeta.status, 400);
      assert.equal((noMeta.body as { error: { code: number } }).error.code, -32602);
      const future = { ...MODERN_META, "io.modelcontextprotocol/protocolVersion": "v999.0.0" };
      const r = await post(
        served.url,
        { jsonrpc: "2.0", id: 2, method: "server/discover", params: { _meta: future } },
        { ...headersFor("server/discover"), "mcp-protocol-version": "v999.0.0" },
      );
      assert.equal(r.status, 400);
      assert.deepEqual((r.body as { error: unknown }).error, {
        code: -32022,
        message: "Unsupported protocol version",
        data: { supported: ["2026-07-28"], requested: "v999.0.0" },
      });
      const mismatch = await post(
        served.url,
        { jsonrpc: "2.0", id: 2, method: "server/discover", params: { _meta: future } },
        headersFor("server/discover"),
      );
      assert.equal(mismatch.status, 400);
      assert.equal((mismatch.body as { error: { code: number } }).error.code, -32020);
    });

    test("removed and unknown methods are 404 with -32601, echoing the id", async () => {
      for (const method of ["initialize", "ping", "logging/setLevel", "unknown/method"]) {
        const r = await post(
          served.url,
          { jsonrpc: "2.0", id: 5, method, params: { _meta: MODERN_META } },
          headersFor(method),
        );
        assert.equal(r.status, 404, method);
        assert.equal((r.body as { id: number; error: { code: number } }).error.code, -32601);
        assert.equal((r.body as { id: number }).id, 5);
      }
    });

    test("GET and DELETE are 405 for modern clients", async () => {
      const get = await fetch(served.url, {
        headers: { accept: "text/event-stream", "mcp-protocol-version": "2026-07-28" },
      });
      assert.equal(get.status, 405);
      const del = await fetch(served.url, {
        method: "DELETE",
        headers: { "mcp-protocol-version": "2026-07-28" },
      });
      assert.equal(del.status, 405);
    });
  });
});

describe("stateless and JSON-response modes", () => {
  test("stateless: no session ids, every request stands alone, GET/DELETE are 405", async () => {
    const mcp = new FastMCP("Stateless", { statelessHttp: true, jsonResponse: true });
    mcp.tool("hello", { input: { name: z.string() } }, async ({ name }, ctx) => {
      await ctx.info("ignored in JSON mode");
      return `Hello, ${name}`;
    });
    const served = await serveHttp(mcp);
    try {
      const init = await post(served.url, initializeMessage());
      assert.equal(init.status, 200);
      assert.equal(init.headers.get("mcp-session-id"), null);
      const call = await post(
        served.url,
        {
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "hello", arguments: { name: "Ada" } },
        },
        { ...LEGACY_HEADERS, "mcp-protocol-version": "2025-06-18" },
      );
      assert.equal(call.status, 200);
      assert.equal(call.headers.get("content-type"), "application/json");
      assert.deepEqual((call.body as { result: unknown }).result, {
        content: [{ type: "text", text: "Hello, Ada" }],
      });
      assert.equal(await mcp.sessions.size(), 0);
      const get = await fetch(served.url, { headers: { accept: "text/event-stream" } });
      assert.equal(get.status, 405);
      assert.equal(get.headers.get("allow"), "POST, OPTIONS");
    } finally {
      await served.stop();
    }
  });
});
