/** Bad input gets the right error, and the server keeps serving. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildToolsServer } from "../fixtures/tools-server.ts";
import { INITIALIZE, MODERN_META, type RawChannel, rawChannel } from "../helpers/raw.ts";

async function stillServes(channel: RawChannel): Promise<void> {
  const reply = await channel.request({
    jsonrpc: "2.0",
    id: "alive",
    method: "tools/call",
    params: { _meta: MODERN_META, name: "add", arguments: { a: 1, b: 1 } },
  });
  assert.deepEqual((reply.result as { content: unknown }).content, [{ type: "text", text: "2" }]);
}

describe("bad input over stdio", () => {
  let channel: RawChannel;
  before(async () => {
    channel = await rawChannel(buildToolsServer());
  });
  after(async () => {
    await channel.close();
  });

  test("malformed JSON is a parse error without an id", async () => {
    channel.write('{"jsonrpc":"2.0","id":1,"method":');
    const reply = await channel.next();
    assert.equal((reply.error as { code: number }).code, -32700);
    assert.ok(!("id" in reply));
    await stillServes(channel);
  });

  test("a batch array is an invalid request", async () => {
    channel.send([{ jsonrpc: "2.0", id: 1, method: "ping" }]);
    const reply = await channel.next();
    assert.equal((reply.error as { code: number }).code, -32600);
    assert.match((reply.error as { message: string }).message, /batch/i);
    await stillServes(channel);
  });

  test("a non-object message and a wrong jsonrpc version are invalid requests", async () => {
    channel.write("42");
    assert.equal(((await channel.next()).error as { code: number }).code, -32600);
    const reply = await channel.request({ jsonrpc: "1.0", id: 7, method: "tools/list" });
    assert.equal((reply.error as { code: number }).code, -32600);
    assert.equal(reply.id, 7);
  });

  test("an unknown method is -32601 in both eras", async () => {
    const modern = await channel.request({
      jsonrpc: "2.0",
      id: 8,
      method: "no/such",
      params: { _meta: MODERN_META },
    });
    assert.equal((modern.error as { code: number }).code, -32601);
    const legacy = await channel.request({ ...INITIALIZE, id: "i2" });
    assert.ok(legacy.result);
    const unknown = await channel.request({ jsonrpc: "2.0", id: 9, method: "no/such" });
    assert.equal((unknown.error as { code: number }).code, -32601);
  });

  test("params of the wrong type are -32602", async () => {
    const notObject = await channel.request({
      jsonrpc: "2.0",
      id: 10,
      method: "tools/list",
      params: [1, 2],
    });
    assert.equal((notObject.error as { code: number }).code, -32602);
    const badName = await channel.request({
      jsonrpc: "2.0",
      id: 11,
      method: "tools/call",
      params: { _meta: MODERN_META, name: 5 },
    });
    assert.equal((badName.error as { code: number }).code, -32602);
    const badArgs = await channel.request({
      jsonrpc: "2.0",
      id: 12,
      method: "tools/call",
      params: { _meta: MODERN_META, name: "add", arguments: "a=1" },
    });
    assert.equal((badArgs.error as { code: number }).code, -32602);
    const badCursor = await channel.request({
      jsonrpc: "2.0",
      id: 13,
      method: "tools/list",
      params: { _meta: MODERN_META, cursor: "not-a-cursor!" },
    });
    assert.equal((badCursor.error as { code: number }).code, -32602);
    await stillServes(channel);
  });

  test("huge arguments are served", async () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const reply = await channel.request({
      jsonrpc: "2.0",
      id: 14,
      method: "tools/call",
      params: { _meta: MODERN_META, name: "echo", arguments: { value: big } },
    });
    const result = reply.result as { structuredContent: { value: string } };
    assert.equal(result.structuredContent.value.length, big.length);
  });

  test("deeply nested arguments get an answer, and the server keeps serving", async () => {
    const depth = 100_000;
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    channel.write(
      `{"jsonrpc":"2.0","id":15,"method":"tools/call","params":{"_meta":${JSON.stringify(MODERN_META)},"name":"echo","arguments":{"value":${nested}}}}`,
    );
    const reply = await channel.next(20_000);
    assert.equal(reply.id, 15);
    // Refused before any validator or serializer recurses into it (they would overflow the stack).
    const result = reply.result as { content: unknown; isError: boolean };
    assert.deepEqual(result.content, [
      {
        type: "text",
        text: 'Invalid arguments for tool "echo": nested too deeply (more than 100 levels)',
      },
    ]);
    assert.equal(result.isError, true);
    await stillServes(channel);
  });

  test("arguments up to 100 levels deep are served; one more is refused", async () => {
    const nest = (levels: number) => {
      let value: unknown = [];
      for (let i = 1; i < levels; i++) value = [value];
      return value;
    };
    const call = (id: number, levels: number) =>
      channel.request({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        // The arguments object is level 1, so `value` may nest 99 levels.
        params: { _meta: MODERN_META, name: "echo", arguments: { value: nest(levels) } },
      });
    const deepest = (await call(16, 99)).result as { structuredContent: { value: unknown } };
    assert.deepEqual(deepest.structuredContent.value, nest(99));
    const tooDeep = (await call(17, 100)).result as { isError?: boolean };
    assert.equal(tooDeep.isError, true);
  });

  test("notifications get no response; unknown ones are ignored", async () => {
    channel.send({ jsonrpc: "2.0", method: "notifications/whatever", params: {} });
    channel.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: "never-sent" },
    });
    await stillServes(channel);
    const answers = channel.received.filter((message) => !("method" in message));
    assert.ok(answers.every((message) => message.id !== undefined || "error" in message));
  });
});

describe("2026-07-28 _meta validation", () => {
  let channel: RawChannel;
  before(async () => {
    channel = await rawChannel(buildToolsServer());
  });
  after(async () => {
    await channel.close();
  });

  test("an unsupported version is -32022 with the supported list, echoing the id", async () => {
    const reply = await channel.request({
      jsonrpc: "2.0",
      id: "v",
      method: "tools/list",
      params: {
        _meta: { ...MODERN_META, "io.modelcontextprotocol/protocolVersion": "1900-01-01" },
      },
    });
    assert.deepEqual(reply, {
      jsonrpc: "2.0",
      id: "v",
      error: {
        code: -32022,
        message: "Unsupported protocol version",
        data: { supported: ["2026-07-28"], requested: "1900-01-01" },
      },
    });
  });

  test("missing client capabilities and a bad log level are -32602", async () => {
    const { "io.modelcontextprotocol/clientCapabilities": _omitted, ...withoutCapabilities } =
      MODERN_META;
    const missing = await channel.request({
      jsonrpc: "2.0",
      id: "c",
      method: "tools/list",
      params: { _meta: withoutCapabilities },
    });
    assert.equal((missing.error as { code: number }).code, -32602);
    const level = await channel.request({
      jsonrpc: "2.0",
      id: "l",
      method: "tools/list",
      params: { _meta: { ...MODERN_META, "io.modelcontextprotocol/logLevel": "loud" } },
    });
    assert.equal((level.error as { code: number }).code, -32602);
  });

  test("methods 2026-07-28 removed are -32601 in the modern era", async () => {
    for (const method of ["ping", "logging/setLevel", "initialize"]) {
      const reply = await channel.request({
        jsonrpc: "2.0",
        id: method,
        method,
        params: { _meta: MODERN_META },
      });
      assert.equal((reply.error as { code: number }).code, -32601, method);
    }
  });

  test("a request with neither initialize nor modern _meta is told what to do", async () => {
    const reply = await channel.request({ jsonrpc: "2.0", id: "x", method: "tools/list" });
    assert.equal((reply.error as { code: number }).code, -32602);
    assert.match((reply.error as { message: string }).message, /initialize/);
  });

  test("the log level in _meta selects log messages", async () => {
    await channel.request({
      jsonrpc: "2.0",
      id: "logs",
      method: "tools/call",
      params: {
        _meta: { ...MODERN_META, "io.modelcontextprotocol/logLevel": "info" },
        name: "progress",
        arguments: { steps: 1 },
      },
    });
    const logs = channel.received.filter((message) => message.method === "notifications/message");
    assert.deepEqual(
      logs.map((message) => (message.params as { level: string }).level),
      ["info"],
    );
  });
});
