/** Forms for ctx.elicit: from zod, valibot, arktype and JSON Schema to the restricted requestedSchema. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";
import { type ElicitSchema, FastMCP } from "../../src/index.ts";
import { compileForm } from "../../src/input/elicit.ts";
import { INITIALIZE, rawChannel } from "../helpers/raw.ts";
import { validateWire } from "../helpers/wire.ts";

const requested = async (schema: ElicitSchema, version = "2025-11-25" as const) =>
  (await compileForm(schema)).requested(version);

describe("requestedSchema from a form", () => {
  test("zod: primitives, formats, titled enums, multi-selects and defaults", async () => {
    const form = {
      name: z.string().min(2).max(40).describe("Your full name"),
      email: z.email(),
      born: z.iso.date().optional(),
      age: z.number().int().min(0).default(30),
      score: z.number().positive(),
      subscribe: z.boolean().meta({ title: "Subscribe?" }).default(false),
      size: z.enum(["S", "M", "L"]).default("M"),
      color: z.union([
        z.literal("#F00").meta({ title: "Red" }),
        z.literal("#0F0").meta({ title: "Green" }),
      ]),
      tags: z
        .array(z.enum(["a", "b", "c"]))
        .min(1)
        .max(2)
        .default(["a"]),
      flavours: z.array(
        z.union([
          z.literal("v").meta({ title: "Vanilla" }),
          z.literal("c").meta({ title: "Chocolate" }),
        ]),
      ),
    };
    const schema = await requested(form);
    assert.deepEqual(schema, {
      type: "object",
      properties: {
        name: { type: "string", description: "Your full name", minLength: 2, maxLength: 40 },
        email: { type: "string", format: "email" },
        born: { type: "string", format: "date" },
        age: { type: "integer", minimum: 0, default: 30 },
        score: { type: "number" },
        subscribe: { type: "boolean", title: "Subscribe?", default: false },
        size: { type: "string", default: "M", enum: ["S", "M", "L"] },
        color: {
          type: "string",
          oneOf: [
            { const: "#F00", title: "Red" },
            { const: "#0F0", title: "Green" },
          ],
        },
        tags: {
          type: "array",
          minItems: 1,
          maxItems: 2,
          default: ["a"],
          items: { type: "string", enum: ["a", "b", "c"] },
        },
        flavours: {
          type: "array",
          items: {
            anyOf: [
              { const: "v", title: "Vanilla" },
              { const: "c", title: "Chocolate" },
            ],
          },
        },
      },
      required: ["name", "email", "score", "color", "flavours"],
    });
    const params = { mode: "form", message: "m", requestedSchema: schema };
    assert.deepEqual(validateWire("2025-11-25", "ElicitRequestFormParams", params), []);
    assert.deepEqual(validateWire("2026-07-28", "ElicitRequestFormParams", params), []);
  });

  test("valibot, arktype, a plain JSON Schema, a scalar, a list of choices, nothing", async () => {
    const expected = {
      type: "object",
      properties: { city: { type: "string" }, nights: { type: "number" } },
      required: ["city", "nights"],
    };
    assert.deepEqual(await requested(v.object({ city: v.string(), nights: v.number() })), expected);
    assert.deepEqual(await requested(type({ city: "string", nights: "number" })), expected);
    assert.deepEqual(await requested(expected), expected);
    assert.deepEqual(await requested(z.string().describe("City")), {
      type: "object",
      properties: { value: { type: "string", description: "City" } },
      required: ["value"],
    });
    assert.deepEqual(await requested(["low", "high"]), {
      type: "object",
      properties: { value: { type: "string", enum: ["low", "high"] } },
      required: ["value"],
    });
    assert.deepEqual(await requested(undefined), { type: "object", properties: {} });
  });

  test("what does not fit a form is refused with a TypeError that names the field", async () => {
    await assert.rejects(requested({ address: z.object({ street: z.string() }) }), {
      name: "TypeError",
      message: /field "address": elicitation fields must be a string, number/,
    });
    await assert.rejects(
      requested({ nick: z.string().nullable() }),
      /field "nick".*cannot be null/,
    );
    await assert.rejects(
      requested({ list: z.array(z.string()) }),
      /field "list": an array field must be a multi-select/,
    );
    await assert.rejects(requested({ type: "string" }), /must be an object of fields/);
    await assert.rejects(requested([] as string[]), /non-empty array of strings/);
  });

  test("2025-06-18 clients get the subset they know", async () => {
    const form = {
      name: z.string().default("Ann"),
      ok: z.boolean().default(true),
      color: z.union([
        z.literal("r").meta({ title: "Red" }),
        z.literal("g").meta({ title: "Green" }),
      ]),
    };
    const old = await requested(form, "2025-06-18" as never);
    assert.deepEqual(old, {
      type: "object",
      properties: {
        name: { type: "string" },
        ok: { type: "boolean", default: true },
        color: { type: "string", enum: ["r", "g"], enumNames: ["Red", "Green"] },
      },
      required: ["color"],
    });
    await assert.rejects(
      (async () => (await compileForm({ many: z.array(z.enum(["a"])) })).requested("2025-06-18"))(),
      /needs protocol 2025-11-25/,
    );
  });
});

test("a 2025-06-18 session is asked without `mode`, in that version's schema", async () => {
  const mcp = new FastMCP("Old", { logLevel: "silent" });
  mcp.tool("pick", async (_args, ctx) => {
    const answer = await ctx.elicit("Pick", {
      color: z.enum(["r", "g"]),
      ok: z.boolean().default(true),
    });
    return answer.action === "accept"
      ? `${answer.content.color} ${answer.content.ok}`
      : answer.action;
  });
  const channel = await rawChannel(mcp);
  try {
    await channel.request({
      ...INITIALIZE,
      params: {
        ...INITIALIZE.params,
        protocolVersion: "2025-06-18",
        capabilities: { elicitation: {} },
      },
    });
    channel.send({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "pick", arguments: {} },
    });
    const request = await channel.next();
    assert.deepEqual(validateWire("2025-06-18", "ElicitRequest", request), []);
    assert.equal((request.params as Record<string, unknown>).mode, undefined);
    channel.send({
      jsonrpc: "2.0",
      id: request.id,
      result: { action: "accept", content: { color: "g" } },
    });
    const reply = await channel.next();
    assert.deepEqual((reply.result as { content: unknown }).content, [
      { type: "text", text: "g true" },
    ]);
  } finally {
    await channel.close();
  }
});
