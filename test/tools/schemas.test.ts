/** Every kind of input schema: zod, valibot, arktype, plain JSON Schema. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";

async function listed(mcp: FastMCP, name: string) {
  const client = await createTestClient(mcp);
  try {
    return (await client.listTools()).find((tool) => tool.name === name);
  } finally {
    await client.close();
  }
}

describe("zod", () => {
  test("descriptions, defaults and optional arguments survive; defaults are applied", async () => {
    const mcp = new FastMCP("s");
    mcp.tool(
      "search",
      {
        input: {
          query: z.string().describe("Search query text"),
          limit: z.number().int().default(10).describe("Maximum results"),
          include_metadata: z.boolean().optional(),
        },
      },
      (args) => args,
    );
    const tool = await listed(mcp, "search");
    assert.deepEqual(tool?.inputSchema, {
      type: "object",
      properties: {
        query: { type: "string", description: "Search query text" },
        limit: { type: "integer", default: 10, description: "Maximum results" },
        include_metadata: { type: "boolean" },
      },
      required: ["query"],
    });
    const result = await mcp.callTool("search", { query: "q" });
    assert.deepEqual(result.structuredContent, { query: "q", limit: 10 });
  });

  test("an object schema keeps additionalProperties and $defs", async () => {
    const Node = z.object({ name: z.string() }).meta({ id: "Node" });
    const mcp = new FastMCP("s");
    mcp.tool(
      "graph",
      { input: z.strictObject({ root: Node, children: z.array(Node) }) },
      () => "ok",
    );
    const tool = await listed(mcp, "graph");
    const schema = tool?.inputSchema as Record<string, unknown>;
    assert.equal(schema.type, "object");
    assert.equal(schema.additionalProperties, false);
    assert.ok(schema.$defs && "Node" in (schema.$defs as object), JSON.stringify(schema));
    const bad = await mcp.callTool("graph", { root: { name: 1 }, children: [], extra: true });
    assert.equal(bad.isError, true);
    assert.match((bad.content[0] as { text: string }).text, /root\.name/);
  });

  test("a shape mixing schemas and other values is refused, not taken for JSON Schema", () => {
    const mcp = new FastMCP("s");
    assert.throws(
      () => mcp.tool("mixed", { input: { a: z.number(), b: "number" } }, () => "x"),
      /"a" is a schema/,
    );
  });

  test("an integer with one bound keeps only that bound", async () => {
    const mcp = new FastMCP("s");
    mcp.tool("page", { input: { n: z.number().int().min(1) } }, ({ n }) => n);
    assert.deepEqual((await listed(mcp, "page"))?.inputSchema.properties, {
      n: { type: "integer", minimum: 1 },
    });
  });

  test("a non-object input schema is refused at registration", () => {
    const mcp = new FastMCP("s");
    assert.throws(
      () => mcp.tool("bad", { input: z.string() }, () => "x"),
      /must describe an object/,
    );
  });
});

describe("valibot", () => {
  test("a shape of valibot schemas is converted by valibot's own converter", async () => {
    const mcp = new FastMCP("s");
    mcp.tool(
      "add",
      { input: { a: v.pipe(v.number(), v.integer()), b: v.number() } },
      ({ a, b }) => a + b,
    );
    const tool = await listed(mcp, "add");
    assert.deepEqual(tool?.inputSchema, {
      type: "object",
      properties: { a: { type: "integer" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    assert.deepEqual((await mcp.callTool("add", { a: 1, b: 2 })).content, [
      { type: "text", text: "3" },
    ]);
    const bad = await mcp.callTool("add", { a: 1.5, b: 2 });
    assert.equal(bad.isError, true);
    assert.match(
      (bad.content[0] as { text: string }).text,
      /^Invalid arguments for tool "add": a: /,
    );
  });

  test("one valibot object schema", async () => {
    const mcp = new FastMCP("s");
    mcp.tool("greet", { input: v.object({ name: v.string() }) }, ({ name }) => `hi ${name}`);
    const tool = await listed(mcp, "greet");
    assert.equal(tool?.inputSchema.type, "object");
    assert.deepEqual((await mcp.callTool("greet", { name: "Ada" })).content, [
      { type: "text", text: "hi Ada" },
    ]);
  });
});

describe("arktype", () => {
  test("an arktype object schema", async () => {
    const mcp = new FastMCP("s");
    mcp.tool("add", { input: type({ a: "number.integer", b: "number" }) }, ({ a, b }) => a + b);
    const tool = await listed(mcp, "add");
    assert.deepEqual(tool?.inputSchema, {
      type: "object",
      properties: { a: { type: "integer" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    const bad = await mcp.callTool("add", { a: "x", b: 1 });
    assert.equal(bad.isError, true);
    assert.match((bad.content[0] as { text: string }).text, /a/);
  });
});

describe("plain JSON Schema", () => {
  const schema = {
    type: "object",
    properties: { a: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
    required: ["a"],
    additionalProperties: false,
  } as const;

  test("is advertised as given and validated by a real validator", async () => {
    const mcp = new FastMCP("s");
    mcp.tool("tagged", { input: schema }, (args) => args);
    const tool = await listed(mcp, "tagged");
    assert.deepEqual(tool?.inputSchema, schema);
    assert.deepEqual((await mcp.callTool("tagged", { a: 1, tags: ["x"] })).structuredContent, {
      a: 1,
      tags: ["x"],
    });
    const bad = await mcp.callTool("tagged", { a: 1.5, tags: [3] });
    assert.equal(bad.isError, true);
    const text = (bad.content[0] as { text: string }).text;
    assert.match(text, /a: /);
    assert.match(text, /tags\.0|tags\[0\]/);
  });

  test("a JSON Schema that is not an object is refused at registration", () => {
    const mcp = new FastMCP("s");
    assert.throws(
      () => mcp.tool("bad", { input: { type: "string" } }, () => "x"),
      /must describe an object/,
    );
  });
});
