/** What ctx knows about its request, and log filtering, through the official clients of both eras. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";

function server() {
  const mcp = new FastMCP("Info");
  mcp.tool("whoami", (_args, ctx) => ({
    requestId: ctx.requestId,
    protocolVersion: ctx.protocolVersion,
    clientInfo: ctx.clientInfo,
    clientCapabilities: ctx.clientCapabilities,
    session: ctx.session === undefined ? "none" : typeof ctx.session.id,
    http: ctx.http ?? "none",
  }));
  mcp.tool("chatty", async (_args, ctx) => {
    for (const level of ["debug", "info", "warning", "error"] as const) {
      await ctx.log(level, `${level} message`, "chatty");
    }
    await ctx.warning("structured", { logger: "db", data: { ms: 1200 } });
    return "done";
  });
  return mcp;
}

const structured = (result: object) =>
  JSON.parse((result as { content: { text: string }[] }).content[0]?.text ?? "{}");

test("legacy: the request id, negotiated version, client and session", async () => {
  const connection = await v1InMemory(server(), { capabilities: { roots: {} } });
  try {
    const result = await connection.client.callTool({ name: "whoami", arguments: {} });
    const id = connection.wire.sent.find((message) => message.method === "tools/call")?.id;
    assert.deepEqual(structured(result), {
      requestId: id,
      protocolVersion: "2025-11-25",
      clientInfo: { name: "v1-test", version: "1.0.0" },
      clientCapabilities: { roots: {} },
      session: "string",
      http: "none",
    });
  } finally {
    await connection.close();
  }
});

test("2026-07-28: the same from the request's _meta, and no session", async () => {
  const connection = await v2InMemory(
    server(),
    { pin: "2026-07-28" },
    {
      capabilities: { elicitation: { form: {} } },
    },
  );
  try {
    const result = await connection.client.callTool({ name: "whoami", arguments: {} });
    const id = connection.wire.sent.find((message) => message.method === "tools/call")?.id;
    const info = structured(result);
    assert.equal(info.requestId, id);
    assert.equal(info.protocolVersion, "2026-07-28");
    assert.equal(info.clientInfo.name, "v2-test");
    assert.deepEqual(info.clientCapabilities.elicitation, { form: {} });
    assert.equal(info.session, "none");
  } finally {
    await connection.close();
  }
});

test("legacy: logging/setLevel filters, with logger names and structured data", async () => {
  const connection = await v1InMemory(server());
  try {
    const { LoggingMessageNotificationSchema } = await import("@modelcontextprotocol/sdk/types.js");
    const logs: unknown[] = [];
    connection.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await connection.client.setLoggingLevel("warning");
    await connection.client.callTool({ name: "chatty", arguments: {} });
    assert.deepEqual(logs, [
      { level: "warning", data: "warning message", logger: "chatty" },
      { level: "error", data: "error message", logger: "chatty" },
      { level: "warning", data: { message: "structured", ms: 1200 }, logger: "db" },
    ]);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
});

test("2026-07-28: the request's _meta log level filters; without one, nothing is sent", async () => {
  const connection = await v2InMemory(server(), { pin: "2026-07-28" });
  try {
    const levels: string[] = [];
    connection.client.setNotificationHandler("notifications/message", (n) => {
      levels.push(n.params.level);
    });
    await connection.client.callTool({ name: "chatty", arguments: {} });
    assert.deepEqual(levels, []);
    await connection.client.callTool({
      name: "chatty",
      arguments: {},
      _meta: { "io.modelcontextprotocol/logLevel": "error" },
    });
    assert.deepEqual(levels, ["error"]);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
});
