/** What a handler returns becomes a CallToolResult as the seed describes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { Audio, FastMCP, File, Image, ToolResult } from "../../src/index.ts";

async function call(returned: unknown, output?: z.ZodType) {
  const mcp = new FastMCP("results");
  mcp.tool("t", output ? { output } : {}, () => returned);
  return mcp.callTool("t");
}

test("strings, numbers, booleans and nothing", async () => {
  assert.deepEqual(await call("hi"), { content: [{ type: "text", text: "hi" }] });
  assert.deepEqual(await call(4.5), { content: [{ type: "text", text: "4.5" }] });
  assert.deepEqual(await call(false), { content: [{ type: "text", text: "false" }] });
  assert.deepEqual(await call(undefined), { content: [] });
  assert.deepEqual(await call(null), { content: [] });
  assert.deepEqual(await call(10n), { content: [{ type: "text", text: "10" }] });
});

test("plain objects become structuredContent plus JSON text; arrays of data are JSON text", async () => {
  assert.deepEqual(await call({ a: 1 }), {
    content: [{ type: "text", text: '{"a":1}' }],
    structuredContent: { a: 1 },
  });
  assert.deepEqual(await call([1, 2]), { content: [{ type: "text", text: "[1,2]" }] });
});

test("content helpers and raw blocks", async () => {
  const bytes = new Uint8Array([1, 2, 3]);
  assert.deepEqual(await call(new Audio({ data: bytes, format: "wav" })), {
    content: [{ type: "audio", data: "AQID", mimeType: "audio/wav" }],
  });
  assert.deepEqual(await call(new File({ data: "a,b", name: "data.csv", mimeType: "text/csv" })), {
    content: [
      {
        type: "resource",
        resource: { uri: "file:///data.csv", mimeType: "text/csv", text: "a,b" },
      },
    ],
  });
  assert.deepEqual(await call(new File({ data: bytes, name: "x.bin" })), {
    content: [
      {
        type: "resource",
        resource: { uri: "file:///x.bin", mimeType: "application/octet-stream", blob: "AQID" },
      },
    ],
  });
  assert.deepEqual(
    await call([new Image({ data: bytes, format: "jpg" }), { type: "text", text: "caption" }]),
    {
      content: [
        { type: "image", data: "AQID", mimeType: "image/jpeg" },
        { type: "text", text: "caption" },
      ],
    },
  );
  assert.deepEqual(
    await call(
      new ToolResult({ content: [{ type: "text", text: "x" }], isError: true, _meta: { k: 1 } }),
    ),
    {
      content: [{ type: "text", text: "x" }],
      isError: true,
      _meta: { k: 1 },
    },
  );
});

test("output schemas validate results; non-object schemas wrap as { result }", async () => {
  const wrapped = await call(["a", "b"], z.array(z.string()));
  assert.deepEqual(wrapped, {
    content: [{ type: "text", text: '["a","b"]' }],
    structuredContent: { result: ["a", "b"] },
  });
  const invalid = await call({ n: "x" }, z.object({ n: z.number() }));
  assert.equal(invalid.isError, true);
  assert.match(
    (invalid.content[0] as { text: string }).text,
    /does not match its output schema: n: /,
  );
});
