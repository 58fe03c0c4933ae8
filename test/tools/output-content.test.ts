/**
 * A tool with an output schema must send structuredContent (official clients
 * refuse a result without it). Content-only returns are a clear tool error;
 * a ToolResult carries content and structuredContent, and the latter is validated.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { z } from "zod";
import { FastMCP, Image, ToolResult } from "../../src/index.ts";
import { type Connected, v1InMemory } from "../helpers/clients.ts";

const image = new Image({ data: new Uint8Array([137, 80, 78, 71]), format: "png" });
const IMAGE_BLOCK = { type: "image", data: "iVBORw==", mimeType: "image/png" };
const Size = z.object({ width: z.number(), unit: z.string().default("px") });

function server(): FastMCP {
  const mcp = new FastMCP("output-content");
  const tool = (name: string, returned: unknown, output: z.ZodType = Size) =>
    mcp.tool(name, { output }, () => returned as never);
  tool("image_only", image);
  tool("raw_block", { type: "text", text: "just text" });
  tool("block_list", [image, { type: "text", text: "caption" }]);
  tool("not_an_object", "hello");
  tool("both", new ToolResult({ content: [image], structuredContent: { width: 2 } }));
  tool("both_invalid", new ToolResult({ content: [image], structuredContent: { width: "2" } }));
  tool("content_only_result", new ToolResult({ content: [image] }));
  tool("error_result", new ToolResult({ content: [{ type: "text", text: "no" }], isError: true }));
  tool(
    "wrapped",
    new ToolResult({ content: [image], structuredContent: { result: 5 } }),
    z.number(),
  );
  tool("wrapped_bare", new ToolResult({ content: [image], structuredContent: 5 }), z.number());
  return mcp;
}

describe("output schemas and content, through the v1 client", () => {
  let connection: Connected<Client>;
  let client: Client;
  before(async () => {
    connection = await v1InMemory(server());
    client = connection.client;
    await client.listTools(); // the client learns each outputSchema here
  });
  after(async () => {
    assert.deepEqual(connection.wire.problems(), []);
    await connection.close();
  });

  const call = (name: string) => client.callTool({ name, arguments: {} });
  const errorText = async (name: string) => {
    const result = await call(name);
    assert.equal(result.isError, true, `${name} should be a tool error`);
    assert.equal(result.structuredContent, undefined);
    return (result.content as { text: string }[])[0]?.text ?? "";
  };

  test("content without structured data is a tool error naming the tool and the fix", async () => {
    for (const [name, what] of [
      ["image_only", "an image content block"],
      ["raw_block", "a text content block"],
      ["block_list", "a list of content blocks"],
    ]) {
      assert.equal(
        await errorText(name ?? ""),
        `Tool "${name}" has an output schema, so it must return structured data, but it returned ${what}; return a value of the schema's type, or a ToolResult with both content and structuredContent`,
      );
    }
  });

  test("a value that is not of the schema's type is a validation error, not a bare text", async () => {
    assert.match(
      await errorText("not_an_object"),
      /^Tool "not_an_object" returned a result that does not match its output schema: /,
    );
  });

  test("a ToolResult with content and structuredContent is validated and sent", async () => {
    const result = await call("both");
    assert.deepEqual(result, {
      content: [IMAGE_BLOCK],
      structuredContent: { width: 2, unit: "px" }, // the validated value, defaults applied
    });
    assert.match(
      await errorText("both_invalid"),
      /^Tool "both_invalid" returned a result that does not match its output schema: width: /,
    );
  });

  test("a ToolResult without structuredContent is a tool error unless it is one already", async () => {
    assert.equal(
      await errorText("content_only_result"),
      `Tool "content_only_result" has an output schema, so its ToolResult needs structuredContent`,
    );
    assert.deepEqual(await call("error_result"), {
      content: [{ type: "text", text: "no" }],
      isError: true,
    });
  });

  test("with a non-object schema, a ToolResult's structuredContent is { result }", async () => {
    assert.deepEqual((await call("wrapped")).structuredContent, { result: 5 });
    assert.equal(
      await errorText("wrapped_bare"),
      `Tool "wrapped_bare" has a non-object output schema, so its ToolResult's structuredContent must be { result: <value> }`,
    );
  });
});
