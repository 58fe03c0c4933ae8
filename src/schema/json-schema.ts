import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { JsonSchema } from "./types.js";

type Direction = "input" | "output";
type MutableSchema = { [keyword: string]: unknown };

interface ConverterOptions {
  target: string;
  libraryOptions?: Record<string, unknown>;
}

interface JsonSchemaConverter {
  input?: (options: ConverterOptions) => Record<string, unknown>;
  output?: (options: ConverterOptions) => Record<string, unknown>;
}

/**
 * The JSON Schema of a Standard Schema: from the Standard JSON Schema interface
 * (`~standard.jsonSchema`) when the library offers it, else from valibot's
 * official converter (an optional peer, loaded only when a valibot schema is used).
 */
export function standardToJsonSchema(
  schema: StandardSchemaV1,
  direction: Direction,
  what: string,
): JsonSchema | Promise<JsonSchema> {
  const props = schema["~standard"] as StandardSchemaV1.Props & {
    jsonSchema?: JsonSchemaConverter;
  };
  const convert = props.jsonSchema?.[direction];
  if (convert) return tidy(convertStandard(convert, direction, what));
  if (props.vendor === "valibot") return fromValibot(schema, direction, what);
  throw new TypeError(
    `${what}: cannot derive a JSON Schema from this ${props.vendor} schema, because it does not ` +
      "implement Standard JSON Schema (`~standard.jsonSchema`). Use a library version that does " +
      "(zod >= 4.2, arktype >= 2.1, valibot with @valibot/to-json-schema) or pass a plain JSON Schema.",
  );
}

/**
 * Runs a Standard JSON Schema converter. What JSON cannot carry (a Date, a
 * transform's result) makes converters throw from deep inside the library
 * with no word of which tool or field it was: the error says both, and what
 * to write instead. An output transform is allowed: JSON Schema cannot say
 * what a function returns, so that value is advertised without a type.
 */
function convertStandard(
  convert: NonNullable<JsonSchemaConverter["input"]>,
  direction: Direction,
  what: string,
): Record<string, unknown> {
  try {
    return convert({ target: "draft-2020-12" });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (direction === "output" && /transform/i.test(message)) {
      try {
        return convert({ target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } });
      } catch {
        // Not the library's option after all: report the first error.
      }
    }
    throw new TypeError(`${what}: ${message}. ${conversionHint(message, direction)}`, {
      cause: error,
    });
  }
}

function conversionHint(message: string, direction: Direction): string {
  if (/date/i.test(message))
    return direction === "input"
      ? "Clients send JSON, which has no dates: take an ISO string and convert it, e.g. z.iso.datetime().pipe(z.coerce.date())"
      : "Clients receive JSON, which has no dates: return an ISO string (z.iso.datetime()) instead of a Date";
  if (/transform/i.test(message))
    return "JSON Schema cannot describe what a transform returns: describe the value clients exchange (the input side), or end the transform with .pipe(<schema of its result>)";
  return `This schema has no JSON Schema form for its ${direction}; use types JSON can carry, or pass a plain JSON Schema`;
}

async function fromValibot(
  schema: StandardSchemaV1,
  direction: Direction,
  what: string,
): Promise<JsonSchema> {
  let converter: { toJsonSchema: (schema: unknown, config: object) => Record<string, unknown> };
  try {
    // A variable specifier keeps bundlers from requiring this optional peer.
    const specifier = "@valibot/to-json-schema";
    converter = (await import(specifier)) as typeof converter;
  } catch {
    throw new TypeError(
      `${what}: valibot schemas need valibot's official converter: npm install @valibot/to-json-schema`,
    );
  }
  try {
    return tidy(converter.toJsonSchema(schema, { target: "draft-2020-12", typeMode: direction }));
  } catch (error) {
    // Converted after registration returned: the message must say which tool it was.
    throw new TypeError(`${what}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Removes what the wire does not need from a converter's output: the `$schema`
 * marker (MCP defaults to 2020-12) and zod's implicit safe-integer bounds, so
 * `z.number().int()` advertises `{ "type": "integer" }` as Python FastMCP does.
 */
export function tidy(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  stripSafeIntegerBounds(rest);
  return rest;
}

function stripSafeIntegerBounds(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) stripSafeIntegerBounds(item);
    return;
  }
  const schema = node as MutableSchema;
  if (schema.type === "integer") {
    if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
    if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  }
  for (const value of Object.values(schema)) stripSafeIntegerBounds(value);
}

/**
 * Builds one object schema from per-property schemas, hoisting each property's
 * `$defs` to the root so their `#/$defs/...` references still resolve.
 */
export function objectSchemaFromProperties(
  properties: ReadonlyMap<string, JsonSchema>,
  required: readonly string[],
  what: string,
): JsonSchema {
  const defs: MutableSchema = {};
  const props: MutableSchema = {};
  for (const [key, propertySchema] of properties) {
    const { $defs, ...rest } = propertySchema as MutableSchema;
    if ($defs && typeof $defs === "object") {
      for (const [name, def] of Object.entries($defs)) {
        if (name in defs && JSON.stringify(defs[name]) !== JSON.stringify(def)) {
          throw new TypeError(
            `${what}: two arguments define different schemas named "$defs/${name}"`,
          );
        }
        defs[name] = def;
      }
    }
    props[key] = rest;
  }
  const schema: MutableSchema = { type: "object", properties: props };
  if (required.length > 0) schema.required = [...required];
  if (Object.keys(defs).length > 0) schema.$defs = defs;
  return schema;
}
