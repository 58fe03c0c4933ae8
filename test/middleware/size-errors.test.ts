/**
 * responseSizeLimit() and errorMapping() through the official clients.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, FastMCP, McpError } from "../../src/index.ts";
import { errorMapping, responseSizeLimit } from "../../src/middleware/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import { serveHttp, v1Http } from "../helpers/http.ts";

class NotFound extends Error {}

function server() {
  const mcp = new FastMCP("limits", { logLevel: "silent", maskErrorDetails: true });
  mcp.tool("small", () => "é".repeat(10));
  mcp.tool("big", () => "é".repeat(600)); // 1,200 bytes of UTF-8
  mcp.resource("data://big", () => "x".repeat(2000));
  mcp.resource("data://missing/{id}", ({ id }) => {
    throw new NotFound(`no record ${id}`);
  });
  mcp.resource("data://broken", () => {
    throw new Error("database password is hunter2");
  });
  mcp.prompt("lookup", () => {
    throw new NotFound("no such entry");
  });
  mcp.use(
    errorMapping((error) =>
      error instanceof NotFound
        ? new McpError(ErrorCode.ResourceNotFound, error.message)
        : undefined,
    ),
  );
  mcp.use(responseSizeLimit({ maxBytes: 1000 }));
  return mcp;
}

for (const [era, connect] of [
  ["legacy (v1 client)", v1InMemory],
  ["2026-07-28 (v2 client)", (s: FastMCP) => v2InMemory(s, { pin: "2026-07-28" })],
] as const) {
  test(`${era}: results over the limit are refused, tools with a tool error`, async () => {
    const { client, close } = await connect(server());
    try {
      const small = await client.callTool({ name: "small", arguments: {} });
      assert.equal(small.isError, undefined);
      const big = await client.callTool({ name: "big", arguments: {} });
      assert.equal(big.isError, true);
      assert.match(
        (big.content as { text: string }[])[0]?.text ?? "",
        /^Response too large: \d+ bytes, over the limit of 1000 bytes$/,
      );
      const read = await client.readResource({ uri: "data://big" }).catch((e: unknown) => e);
      assert.equal((read as { code: number }).code, ErrorCode.InternalError);
      assert.match((read as Error).message, /Response too large: \d+ bytes/);
    } finally {
      await close();
    }
  });

  test(`${era}: errorMapping turns your errors into JSON-RPC errors; others stay masked`, async () => {
    const { client, close } = await connect(server());
    try {
      const missing = await client
        .readResource({ uri: "data://missing/7" })
        .catch((e: unknown) => e);
      assert.equal((missing as { code: number }).code, ErrorCode.ResourceNotFound);
      assert.match((missing as Error).message, /no record 7/);
      const broken = await client.readResource({ uri: "data://broken" }).catch((e: unknown) => e);
      assert.equal((broken as { code: number }).code, ErrorCode.InternalError);
      assert.doesNotMatch((broken as Error).message, /hunter2/);
      const prompt = await client.getPrompt({ name: "lookup" }).catch((e: unknown) => e);
      assert.equal((prompt as { code: number }).code, ErrorCode.ResourceNotFound);
    } finally {
      await close();
    }
  });
}

test("over HTTP (v1 client): the size limit and the mapping hold", async () => {
  const served = await serveHttp(server());
  try {
    const { client, close } = await v1Http(served.url);
    try {
      const big = await client.callTool({ name: "big", arguments: {} });
      assert.equal(big.isError, true);
      const missing = await client
        .readResource({ uri: "data://missing/1" })
        .catch((e: unknown) => e);
      assert.equal((missing as { code: number }).code, ErrorCode.ResourceNotFound);
    } finally {
      await close();
    }
  } finally {
    await served.stop();
  }
});

test("options are checked", () => {
  assert.throws(
    () => responseSizeLimit({ maxBytes: 0 }),
    /maxBytes must be a positive whole number/,
  );
  assert.throws(() => responseSizeLimit({ maxBytes: 10, max: 1 } as never), /unknown option "max"/);
  assert.throws(() => errorMapping("x" as never), /map must be a function/);
});
