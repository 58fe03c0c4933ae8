/**
 * The precompiled check in front of the JSON Schema validator: it may only
 * ever say "valid" where @cfworker/json-schema does, and for the schemas it
 * takes it should agree with it on every value (or it saves nothing).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Validator } from "@cfworker/json-schema";
import { compileFastCheck } from "../../src/schema/fast-check.ts";
import type { JsonSchema } from "../../src/schema/types.ts";

const SUPPORTED: Record<string, JsonSchema> = {
  "typed properties, required": {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "integer" }, s: { type: "string" } },
    required: ["a", "b"],
  },
  "closed object": {
    type: "object",
    properties: { sum: { type: "number" } },
    required: ["sum"],
    additionalProperties: false,
  },
  "additional properties by schema": {
    type: "object",
    properties: { id: { type: "string" } },
    additionalProperties: { type: "boolean" },
  },
  "required before properties": {
    required: ["x"],
    additionalProperties: false,
    properties: { x: { type: ["string", "null"] } },
  },
  "arrays and bounds": {
    type: "object",
    properties: {
      tags: { type: "array", items: { type: "string", minLength: 1, maxLength: 3 }, maxItems: 2 },
      n: { type: "number", minimum: 0, exclusiveMaximum: 10 },
      m: { exclusiveMinimum: -1, maximum: 1 },
      list: { type: "array", minItems: 1 },
    },
  },
  "enum and const": {
    type: "object",
    properties: {
      unit: { enum: ["c", "f", 1, null, true] },
      kind: { const: "fixed" },
    },
    required: ["unit"],
  },
  annotations: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "T",
    description: "D",
    type: "object",
    properties: { q: { type: "string", default: "x", examples: ["y"], "x-mcp-header": "Q" } },
  },
  "nested objects": {
    type: "object",
    properties: {
      user: {
        type: "object",
        properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
        required: ["name"],
        additionalProperties: false,
      },
    },
    required: ["user"],
  },
  "boolean subschemas": { type: "object", properties: { any: true, none: false } },
};

const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  10,
  "",
  "ab",
  "abcd",
  "😀😀😀",
  "😀😀😀😀",
  [],
  ["a"],
  ["a", "b", "c"],
  ["", "a"],
  [1],
  {},
  { a: 1, b: 2 },
  { a: 1, b: 2.5 },
  { a: "1", b: 2 },
  { a: 1, b: 2, s: "x", extra: [] },
  { sum: 3 },
  { sum: 3, more: 1 },
  { sum: "3" },
  { id: "x", flag: true },
  { id: "x", flag: 1 },
  { x: null },
  { x: "v" },
  { x: 1 },
  { x: "v", y: 1 },
  { tags: ["a", "bc"], n: 0, m: 1, list: [1] },
  { tags: ["abcd"] },
  { tags: ["a", "b", "c"] },
  { tags: [""] },
  { n: 10 },
  { n: -0.1 },
  { m: -1 },
  { m: 1.01 },
  { list: [] },
  { unit: "c" },
  { unit: 1 },
  { unit: null },
  { unit: true },
  { unit: "k" },
  { unit: false },
  { unit: "c", kind: "fixed" },
  { unit: "c", kind: "other" },
  { q: "x" },
  { q: 1 },
  { user: { name: "n" } },
  { user: { name: "n", age: 3 } },
  { user: { name: "n", age: -3 } },
  { user: { name: "n", extra: 1 } },
  { user: {} },
  { user: "n" },
  { any: { deep: [1] } },
  { none: 1 },
  JSON.parse('{"__proto__": 1, "a": 1, "b": 2}'),
];

describe("fast check", () => {
  for (const [name, schema] of Object.entries(SUPPORTED)) {
    test(`agrees with the full validator: ${name}`, () => {
      const check = compileFastCheck(schema);
      assert.ok(check, "the schema should get a fast check");
      const validator = new Validator(schema as never, "2020-12", false);
      for (const value of VALUES) {
        const expected = validator.validate(value).valid;
        assert.equal(check(value), expected, `${JSON.stringify(value)} against ${name}`);
      }
    });
  }

  test("schemas with keywords outside the subset get no fast check", () => {
    const unsupported: JsonSchema[] = [
      { type: "string", pattern: "^a" },
      { type: "string", format: "email" },
      { $ref: "#/$defs/x", $defs: { x: { type: "string" } } },
      { anyOf: [{ type: "string" }, { type: "number" }] },
      { type: "array", items: [{ type: "string" }] },
      { type: "object", properties: { a: { type: "string", pattern: "x" } } },
      { type: "object", patternProperties: { "^a": { type: "string" } } },
      { type: "array", uniqueItems: true },
      { type: "number", multipleOf: 2 },
      { enum: [{ a: 1 }] },
      { type: "strange" },
      { $schema: "http://json-schema.org/draft-04/schema#", type: "object" },
      { type: "object", minProperties: 1 },
    ];
    for (const schema of unsupported)
      assert.equal(compileFastCheck(schema), undefined, JSON.stringify(schema));
  });

  test("never accepts what the validator rejects, for values JavaScript can make", () => {
    const schema = SUPPORTED["typed properties, required"] as JsonSchema;
    const check = compileFastCheck(schema);
    const validator = new Validator(schema as never, "2020-12", false);
    for (const value of [
      { a: Number.NaN, b: 1 },
      { a: 1, b: Number.POSITIVE_INFINITY },
    ]) {
      if (check?.(value)) assert.ok(validator.validate(value).valid, String(value));
    }
  });
});
