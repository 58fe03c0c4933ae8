/**
 * The `add` tool with other schema libraries, and with plain JSON Schema.
 *
 * `input` accepts any Standard Schema library: a shape (one schema per
 * argument) or one object schema. Valibot's JSON Schema comes from its official
 * converter, `@valibot/to-json-schema` (install it next to valibot); arktype
 * and zod produce their own. A plain JSON Schema is validated as it is, but
 * gives the handler no static types.
 */
import { type } from "arktype";
import * as v from "valibot";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

// Valibot: one object schema
mcp.tool(
  "add_valibot",
  {
    description: "Add two numbers.",
    input: v.object({ a: v.pipe(v.number(), v.integer()), b: v.pipe(v.number(), v.integer()) }),
  },
  ({ a, b }) => a + b,
);

// Valibot: a shape, one schema per argument
mcp.tool(
  "add_valibot_shape",
  {
    description: "Add two numbers.",
    input: { a: v.pipe(v.number(), v.integer()), b: v.pipe(v.number(), v.integer()) },
  },
  ({ a, b }) => a + b,
);

// ArkType: one object schema
mcp.tool(
  "add_arktype",
  { description: "Add two numbers.", input: type({ a: "number.integer", b: "number.integer" }) },
  ({ a, b }) => a + b,
);

// Plain JSON Schema: validated, but the arguments are typed `Record<string, unknown>`
mcp.tool(
  "add_json_schema",
  {
    description: "Add two numbers.",
    input: {
      type: "object",
      properties: { a: { type: "integer" }, b: { type: "integer" } },
      required: ["a", "b"],
    },
  },
  (args) => (args.a as number) + (args.b as number),
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
