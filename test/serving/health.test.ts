/**
 * run({ health }): /healthz and /readyz answer probes outside the MCP
 * endpoint's rules, readiness asks the stores that can fail, and probes stay
 * out of the info log.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP, type Logger, MemorySessionStore } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META, post, serveHttp } from "../helpers/http.ts";

interface Line {
  level: string;
  text: string;
  details: unknown[];
}

function recordingLogger(lines: Line[]): Logger {
  const at =
    (level: string) =>
    (text: string, ...details: unknown[]) =>
      void lines.push({ level, text, details });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A raw request, so the Host and Origin headers are the test's to choose (fetch sets Host itself). */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const at = (url: string, path: string) => new URL(path, url).toString();

test("health: true serves /healthz and /readyz beside the MCP endpoint, and logs where", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(new FastMCP("Probed", { logger: recordingLogger(lines) }), {
    health: true,
  });
  try {
    for (const path of ["/healthz", "/readyz", "/healthz?probe=1"]) {
      const answer = await get(at(served.url, path));
      assert.equal(answer.status, 200, path);
      assert.deepEqual(JSON.parse(answer.body), { status: "ok" });
      assert.equal(answer.type, "application/json");
    }
    const head = await get(at(served.url, "/healthz"), {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    assert.equal((await get(at(served.url, "/healthz"), {}, "POST")).status, 405);
    const base = new URL(served.url).origin;
    assert.ok(
      lines.some(
        (line) =>
          line.text === `Health checks: ${base}/healthz (liveness), ${base}/readyz (readiness)`,
      ),
      lines.map((line) => line.text).join("\n"),
    );
  } finally {
    await served.stop();
  }
});

test("without the option there is no health endpoint", async () => {
  const served = await serveHttp(new FastMCP("Plain", { logger: recordingLogger([]) }));
  try {
    assert.equal((await get(at(served.url, "/healthz"))).status, 404);
  } finally {
    await served.stop();
  }
});

test("probes skip the MCP path's rules (Host, Origin, auth), which still hold on the MCP path", async () => {
  const mcp = new FastMCP("Guarded", {
    logger: recordingLogger([]),
    tokenVerifier: new StaticTokenVerifier({ good: { clientId: "c", scopes: [] } }),
    auth: { issuerUrl: "https://auth.example.com", resourceServerUrl: "http://127.0.0.1/mcp" },
  });
  // Loopback: the Host allow-list is on. A probe from an orchestrator names the pod's IP.
  const served = await serveHttp(mcp, { health: { path: "/live", readyPath: "/ready" } });
  try {
    const foreign = { host: "10.1.2.3:8000", origin: "https://evil.example" };
    assert.equal((await get(at(served.url, "/live"), foreign)).status, 200);
    assert.equal((await get(at(served.url, "/ready"), foreign)).status, 200);
    assert.equal((await get(at(served.url, "/live"))).status, 200, "no token needed");
    assert.equal((await get(at(served.url, "/healthz"))).status, 404, "the default path moved");
    assert.equal((await get(served.url, foreign)).status, 403, "the MCP path keeps its Host rule");
    const unauthenticated = await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "ping", params: { _meta: MODERN_META } },
      { ...MODERN_HEADERS, "mcp-method": "ping" },
    );
    assert.equal(unauthenticated.status, 401, "the MCP path keeps its auth");
  } finally {
    await served.stop();
  }
});

test("readiness asks each store's ping(): 503 naming the failing one, logged once, then ready again", async () => {
  const lines: Line[] = [];
  let failing: "no" | "throw" | "hang" = "no";
  class FlakyStore extends MemorySessionStore {
    ping(): Promise<void> {
      if (failing === "throw") return Promise.reject(new Error("connection refused"));
      if (failing === "hang") return new Promise(() => {});
      return Promise.resolve();
    }
  }
  const mcp = new FastMCP("Stored", {
    logger: recordingLogger(lines),
    sessionStore: new FlakyStore(),
  });
  const served = await serveHttp(mcp, { health: true });
  try {
    const ready = at(served.url, "/readyz");
    assert.equal((await get(ready)).status, 200);
    failing = "throw";
    for (let i = 0; i < 3; i++) {
      const answer = await get(ready);
      assert.equal(answer.status, 503);
      assert.deepEqual(JSON.parse(answer.body), {
        status: "unavailable",
        failing: ["sessionStore"],
      });
    }
    assert.equal((await get(at(served.url, "/healthz"))).status, 200, "liveness is not readiness");
    const warnings = lines.filter((line) => line.level === "warn");
    assert.equal(warnings.length, 1, "a store that stays down is logged once");
    assert.equal(warnings[0]?.text, "Not ready: sessionStore");
    assert.match(String(warnings[0]?.details[0]), /connection refused/);
    failing = "hang";
    const started = Date.now();
    const hung = await get(ready);
    assert.equal(hung.status, 503);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    failing = "no";
    assert.equal((await get(ready)).status, 200);
    assert.ok(lines.some((line) => line.level === "info" && line.text === "Ready again"));
  } finally {
    await served.stop();
  }
});

test("the reason a store failed stays in the log, not in the public answer", async () => {
  class Down extends MemorySessionStore {
    ping(): Promise<void> {
      return Promise.reject(new Error("redis://admin:hunter2@10.0.0.5:6379 refused"));
    }
  }
  const served = await serveHttp(
    new FastMCP("Private", { logger: recordingLogger([]), sessionStore: new Down() }),
    { health: true },
  );
  try {
    const answer = await get(at(served.url, "/readyz"));
    assert.equal(answer.status, 503);
    assert.ok(!answer.body.includes("hunter2"), answer.body);
  } finally {
    await served.stop();
  }
});

test("a health path on the MCP endpoint is refused at start, in one line naming it", async () => {
  for (const health of [
    { path: "/mcp" },
    { readyPath: "/mcp/" },
    { path: "/same", readyPath: "/same" },
  ]) {
    const lines: Line[] = [];
    const before = process.exitCode;
    // A server that cannot start logs why and returns: run() resolves without listening.
    await new FastMCP("Clash", { logger: recordingLogger(lines) }).run({
      transport: "streamable-http",
      port: 0,
      health,
      onListening: () => assert.fail("it must not listen"),
    });
    const errors = lines.filter((line) => line.level === "error");
    assert.equal(errors.length, 1, JSON.stringify(health));
    assert.match(errors[0]?.text ?? "", /could not start: health\.(path|readyPath)/);
    assert.equal(process.exitCode, 1);
    process.exitCode = before;
  }
});

test("probes are logged at debug, never at info", async () => {
  const lines: Line[] = [];
  const served = await serveHttp(new FastMCP("Quiet", { logger: recordingLogger(lines) }), {
    health: true,
  });
  try {
    await get(at(served.url, "/healthz"));
    await get(at(served.url, "/readyz"));
    await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } },
      { ...MODERN_HEADERS, "mcp-method": "tools/list" },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const probes = lines.filter((line) => /^GET \/(healthz|readyz) /.test(line.text));
    assert.deepEqual(
      probes.map((line) => line.level),
      ["debug", "debug"],
    );
    assert.ok(
      lines.some((line) => line.level === "info" && /^POST \/mcp 200/.test(line.text)),
      lines.map((line) => `${line.level} ${line.text}`).join("\n"),
    );
  } finally {
    await served.stop();
  }
});
