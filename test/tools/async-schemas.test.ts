/**
 * valibot schemas convert asynchronously. A tool whose schema is still
 * converting is invisible; list_changed goes out once its definition is final;
 * a failed conversion is a clear registration error and poisons nothing.
 * This file must be the first in its process to load @valibot/to-json-schema,
 * so the conversion really takes a while after the server has started.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tool as WireTool } from "@modelcontextprotocol/sdk/types.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import * as v from "valibot";
import { z } from "zod";
import { FastMCP, type Logger } from "../../src/index.ts";
import { v1InMemory } from "../helpers/clients.ts";

const ZOD_ADD = {
  type: "object",
  properties: { a: { type: "number" }, b: { type: "number" } },
  required: ["a", "b"],
};
const VALIBOT_ADD = {
  type: "object",
  properties: { a: { type: "integer" }, b: { type: "integer" } },
  required: ["a", "b"],
};
const GREET = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

function capturingLogger(errors: string[]): Logger {
  const ignore = () => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message, ...details) =>
      errors.push([message, ...details.map((d) => (d as Error).message)].join(" | ")),
  };
}

test("tools added or updated after start appear only with their final schema", async () => {
  const mcp = new FastMCP("async-schemas");
  const add = mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  const { client, wire, close } = await v1InMemory(mcp);
  const listings: WireTool[][] = [];
  let done: () => void = () => undefined;
  const final = new Promise<void>((resolve) => {
    done = resolve;
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    const { tools } = await client.listTools();
    listings.push(tools);
    const byName = new Map(tools.map((tool) => [tool.name, tool.inputSchema]));
    if (
      JSON.stringify(byName.get("greet")) === JSON.stringify(GREET) &&
      JSON.stringify(byName.get("add")) === JSON.stringify(VALIBOT_ADD)
    )
      done();
  });
  try {
    mcp.tool("greet", { input: v.object({ name: v.string() }) }, ({ name }) => `hi ${name}`);
    add.update({
      input: { a: v.pipe(v.number(), v.integer()), b: v.pipe(v.number(), v.integer()) },
      handler: ({ a, b }: { a: number; b: number }) => a * 1000 + b,
    });
    // Converting: the name is taken and the handle works, but clients see the old state.
    assert.ok(mcp.getTool("greet"));
    assert.throws(() => mcp.tool("greet", () => "again"), /already registered/);
    const meanwhile = (await client.listTools()).tools;
    for (const tool of meanwhile) {
      if (tool.name === "greet") assert.deepEqual(tool.inputSchema, GREET);
      else
        assert.ok(
          [JSON.stringify(ZOD_ADD), JSON.stringify(VALIBOT_ADD)].includes(
            JSON.stringify(tool.inputSchema),
          ),
        );
    }

    await final;
    // Every list_changed was followed by a listing of final definitions only.
    for (const listing of listings) {
      for (const tool of listing) {
        const schema = JSON.stringify(tool.inputSchema);
        const known = [ZOD_ADD, VALIBOT_ADD, GREET].map((s) => JSON.stringify(s));
        assert.ok(known.includes(schema), `${tool.name} was listed with ${schema}`);
      }
    }
    assert.deepEqual(
      listings.at(-1)?.map((tool) => tool.name),
      ["add", "greet"],
      "the updated tool keeps its place; the new one comes after it",
    );
    const sum = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    assert.deepEqual(sum.content, [{ type: "text", text: "1002" }]);
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

test("a failed conversion before start fails start() naming the tool, once", async () => {
  const mcp = new FastMCP("broken", { logger: capturingLogger([]) });
  mcp.tool("when", { input: { at: v.date() } }, () => "never");
  mcp.tool("ok", () => "ok");
  await assert.rejects(mcp.start(), (error: Error) =>
    /^Tool "when" input, "at": The "date" schema cannot be converted to JSON Schema/.test(
      error.message,
    ),
  );
  assert.equal(mcp.getTool("when"), undefined, "the broken tool was not registered");
  // Nothing stays behind: the next start succeeds and serves the rest.
  const { client, wire, close } = await v1InMemory(mcp);
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
      ["ok"],
    );
    mcp.tool("when", { input: { at: v.string() } }, ({ at }) => at);
    assert.deepEqual((await mcp.callTool("when", { at: "noon" })).content, [
      { type: "text", text: "noon" },
    ]);
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

test("several failed conversions are reported together, in registration order", async () => {
  const mcp = new FastMCP("broken");
  mcp.tool("a", { input: { at: v.date() } }, () => "a");
  mcp.tool("b", { output: v.custom(() => true) }, () => "b");
  mcp.tool("gone", { input: { at: v.date() } }, () => "c").remove(); // removed: not reported
  await assert.rejects(mcp.start(), (error: Error) => {
    assert.ok(error instanceof AggregateError);
    assert.match(error.message, /^2 tools were not registered: Tool "a" input.*; Tool "b" output/);
    return true;
  });
});

test("a failed conversion after start is logged and keeps the previous version", async () => {
  const errors: string[] = [];
  const mcp = new FastMCP("running", { logger: capturingLogger(errors) });
  const add = mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  const { client, wire, close } = await v1InMemory(mcp);
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes++;
  });
  try {
    add.update({ input: { a: v.date() } });
    mcp.tool("bad", { input: { at: v.date() } }, () => "bad");
    // callTool waits for conversions in flight.
    assert.deepEqual((await mcp.callTool("add", { a: 1, b: 2 })).content, [
      { type: "text", text: "3" },
    ]);
    assert.equal(mcp.getTool("bad"), undefined);
    // Each conversion is logged as it fails: the two run concurrently, in no set order.
    assert.equal(errors.length, 2);
    const logged = [...errors].sort();
    assert.match(logged[0] ?? "", /^Tool "add" was not registered or updated \| Tool "add" input/);
    assert.match(logged[1] ?? "", /^Tool "bad" .*"date" schema cannot be converted/);
    const { tools } = await client.listTools();
    assert.deepEqual(tools, [{ name: "add", inputSchema: ZOD_ADD }]);
    assert.equal(changes, 0, "nothing a client can see changed");
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});
