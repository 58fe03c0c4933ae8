/** The HTTP examples (the seed's serving and mounting sections), each driven by an official client. */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { serve } from "@hono/node-server";
import { initializeMessage, post, serveHttp, v1Http, v2Http } from "../helpers/http.ts";

function text(result: unknown): string | undefined {
  const first = (result as { content?: { type: string; text?: string }[] }).content?.[0];
  return first?.type === "text" ? first.text : undefined;
}

async function listening(server: Server): Promise<{ base: string; close: () => Promise<void> }> {
  if (!server.listening)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Calls `tool` at `url` with the v1 client and the v2 client in the 2026-07-28 era. */
async function callBothEras(url: string, tool: string, args: Record<string, unknown> = {}) {
  const v1 = await v1Http(url);
  const v2 = await v2Http(url, { pin: "2026-07-28" });
  try {
    const results = [
      text(await v1.client.callTool({ name: tool, arguments: args })),
      text(await v2.client.callTool({ name: tool, arguments: args })),
    ];
    assert.deepEqual(v1.wire.problems(), []);
    assert.deepEqual(v2.wire.problems(), []);
    return results;
  } finally {
    await v1.close();
    await v2.close();
  }
}

describe("HTTP examples", () => {
  test("http-server: run() serves both eras at /mcp", async () => {
    const { mcp } = await import("../../examples/http-server.ts");
    const served = await serveHttp(mcp);
    try {
      assert.match(served.url, /\/mcp$/);
      assert.deepEqual(await callBothEras(served.url, "add", { a: 1, b: 2 }), ["3", "3"]);
    } finally {
      await served.stop();
    }
  });

  test("http-polling: legacy clients come back for the result; 2026-07-28 gets it at once", async () => {
    const { mcp } = await import("../../examples/http-polling.ts");
    const served = await serveHttp(mcp);
    try {
      assert.deepEqual(await callBothEras(served.url, "export_report", { pages: 3 }), [
        "Exported 3 pages (the client came back for the result)",
        "Exported 3 pages",
      ]);
      const v2 = await v2Http(served.url, "legacy");
      try {
        const result = await v2.client.callTool({ name: "export_report", arguments: { pages: 2 } });
        assert.equal(text(result), "Exported 2 pages (the client came back for the result)");
        assert.deepEqual(v2.wire.problems(), []);
      } finally {
        await v2.close();
      }
    } finally {
      await served.stop();
    }
  });

  test("http-mount-node: under /api/mcp in node:http, other paths reach the app", async () => {
    const { createApp } = await import("../../examples/http-mount-node.ts");
    const app = await listening(createApp());
    try {
      assert.deepEqual(await callBothEras(`${app.base}/api/mcp`, "api_tool"), ["result", "result"]);
      assert.equal(await (await fetch(`${app.base}/health`)).text(), "ok");
      assert.equal((await fetch(`${app.base}/mcp`)).status, 404);
    } finally {
      await app.close();
    }
  });

  test("http-mount-express: under /api in Express, after express.json()", async () => {
    const { createApp } = await import("../../examples/http-mount-express.ts");
    const app = await listening(createApp().listen(0, "127.0.0.1"));
    try {
      assert.deepEqual(await callBothEras(`${app.base}/api/mcp`, "api_tool"), ["result", "result"]);
      assert.equal(await (await fetch(`${app.base}/health`)).text(), "ok");
    } finally {
      await app.close();
    }
  });

  test("http-mount-hono: app.mount('/api', mcp.fetch)", async () => {
    const { createApp } = await import("../../examples/http-mount-hono.ts");
    const server = serve({ fetch: createApp().fetch, port: 0, hostname: "127.0.0.1" }) as Server;
    const app = await listening(server);
    try {
      assert.deepEqual(await callBothEras(`${app.base}/api/mcp`, "api_tool"), ["result", "result"]);
    } finally {
      await app.close();
    }
  });

  test("http-multiple-servers: two stateless servers, one start and one stop", async () => {
    const { start, echoMcp, mathMcp } = await import("../../examples/http-multiple-servers.ts");
    const app = await start(0);
    try {
      assert.deepEqual(await callBothEras(`${app.url}/echo`, "echo", { msg: "hi" }), [
        "Echo: hi",
        "Echo: hi",
      ]);
      assert.deepEqual(await callBothEras(`${app.url}/math`, "add", { a: 2, b: 2 }), ["4", "4"]);
      assert.equal(await echoMcp.sessions.size(), 0);
      assert.equal(await mathMcp.sessions.size(), 0);
    } finally {
      await app.stop();
    }
    await assert.rejects(echoMcp.start(), /closed/);
  });

  test("http-cors: Express with the cors package", async () => {
    const { createApp } = await import("../../examples/http-cors.ts");
    const app = await listening(createApp().listen(0, "127.0.0.1"));
    try {
      const init = await post(`${app.base}/mcp`, initializeMessage(), {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        origin: "http://localhost:3000",
      });
      assert.equal(init.status, 200);
      assert.match(init.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
    } finally {
      await app.close();
    }
  });

  // After the Express variant: run() closes the server when it stops.
  test("http-cors: run({ cors }) answers preflights and exposes Mcp-Session-Id", async () => {
    const { runWithCors } = await import("../../examples/http-cors.ts");
    const controller = new AbortController();
    const info = await new Promise<{ url: string }>((resolve) => {
      void runWithCors({
        port: 0,
        signal: controller.signal,
        onListening: resolve,
        logLevel: "error",
      });
    });
    try {
      const preflight = await fetch(info.url, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:3000",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, mcp-session-id, mcp-param-region",
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:3000");
      assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /mcp-param-region/);
      const init = await post(info.url, initializeMessage(), {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        origin: "http://localhost:3000",
      });
      assert.equal(init.status, 200);
      assert.match(init.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
      const foreign = await post(
        info.url,
        { jsonrpc: "2.0", id: 1, method: "ping" },
        {
          "content-type": "application/json",
          origin: "https://evil.example",
        },
      );
      assert.equal(foreign.status, 403);
    } finally {
      controller.abort();
    }
  });

  test("http-custom-path: streamableHttpPath '/' answers at the mount point", async () => {
    const { createApp } = await import("../../examples/http-custom-path.ts");
    const app = await listening(createApp().listen(0, "127.0.0.1"));
    try {
      assert.deepEqual(await callBothEras(`${app.base}/api`, "where"), [
        "served at /api",
        "served at /api",
      ]);
    } finally {
      await app.close();
    }
  });

  test("http-host-routing: only mcp.example.com is served", async () => {
    const { mcp } = await import("../../examples/http-host-routing.ts");
    const served = await serveHttp(mcp);
    try {
      const refused = await fetch(served.url, { method: "POST", body: "{}" });
      assert.equal(refused.status, 403);
      const { request } = await import("node:http");
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          served.url,
          {
            method: "POST",
            headers: { host: "mcp.example.com", "content-type": "application/json" },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify(initializeMessage()));
      });
      assert.equal(status, 200);
    } finally {
      await served.stop();
    }
  });
});
