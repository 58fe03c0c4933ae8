import type { JsonSchema } from "./types.js";

/**
 * A predicate compiled once from a plain JSON Schema that says "valid" for the
 * common shapes of tool arguments and results (typed properties, required,
 * closed objects, arrays, enums, bounds) without the general validator's work
 * per call: no error list, no JSON Pointer strings, no keyword dispatch.
 *
 * It only ever answers for the validator, never against it: `true` means the
 * value is valid; `false` means "ask the full validator", which also writes
 * the error messages. A schema with any keyword outside the subset below gets
 * no predicate at all, so an unfamiliar keyword can never be skipped.
 */
export type FastCheck = (value: unknown) => boolean;

type Check = FastCheck;

const TYPE_CHECKS: Readonly<Record<string, Check>> = {
  string: (value) => typeof value === "string",
  number: (value) => typeof value === "number" && Number.isFinite(value),
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === "boolean",
  null: (value) => value === null,
  object: isPlainObject,
  array: Array.isArray,
};

/** Keywords that never change whether a value is valid. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

const SCHEMA_DIALECTS = new Set([
  "https://json-schema.org/draft/2020-12/schema",
  "http://json-schema.org/draft-07/schema#",
  "http://json-schema.org/draft-07/schema",
]);

/** The predicate for `schema`, or undefined when it uses anything outside the subset. */
export function compileFastCheck(schema: JsonSchema | boolean): FastCheck | undefined {
  return compileNode(schema, 0);
}

const MAX_DEPTH = 32;

function compileNode(schema: unknown, depth: number): Check | undefined {
  if (schema === true) return () => true;
  if (schema === false) return () => false;
  if (!isPlainObject(schema) || depth > MAX_DEPTH) return undefined;
  const checks: Check[] = [];
  for (const [keyword, argument] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword.startsWith("x-")) {
      if (keyword === "$schema" && !SCHEMA_DIALECTS.has(argument as string)) return undefined;
      continue;
    }
    const check = compileKeyword(keyword, argument, schema, depth);
    if (check === undefined) return undefined;
    if (check !== IMPLIED) checks.push(check);
  }
  return all(checks);
}

/** A keyword handled by another keyword of the same schema (`additionalProperties` by `properties`). */
const IMPLIED: Check = () => true;

function compileKeyword(
  keyword: string,
  argument: unknown,
  schema: Record<string, unknown>,
  depth: number,
): Check | undefined {
  switch (keyword) {
    case "type":
      return compileType(argument);
    case "properties":
    case "required":
    case "additionalProperties":
      // Compiled together once, under whichever of the three comes first.
      return firstOf(schema, ["properties", "required", "additionalProperties"]) === keyword
        ? compileObject(schema, depth)
        : IMPLIED;
    case "items":
      return compileItems(argument, depth);
    case "minItems":
      return isCount(argument) ? ifArray((value) => value.length >= argument) : undefined;
    case "maxItems":
      return isCount(argument) ? ifArray((value) => value.length <= argument) : undefined;
    case "minLength":
      return isCount(argument) ? ifString((value) => codePoints(value) >= argument) : undefined;
    case "maxLength":
      return isCount(argument) ? ifString((value) => codePoints(value) <= argument) : undefined;
    case "minimum":
      return isNumber(argument) ? ifNumber((value) => value >= argument) : undefined;
    case "maximum":
      return isNumber(argument) ? ifNumber((value) => value <= argument) : undefined;
    case "exclusiveMinimum":
      return isNumber(argument) ? ifNumber((value) => value > argument) : undefined;
    case "exclusiveMaximum":
      return isNumber(argument) ? ifNumber((value) => value < argument) : undefined;
    case "enum":
      return compileEnum(argument);
    case "const":
      return isPrimitive(argument) ? (value) => value === argument : undefined;
    default:
      return undefined;
  }
}

function compileType(argument: unknown): Check | undefined {
  const names = typeof argument === "string" ? [argument] : argument;
  if (!Array.isArray(names) || names.length === 0) return undefined;
  const checks: Check[] = [];
  for (const name of names) {
    // Own keys only: a schema's `"type": "constructor"` must not find Object.
    const check =
      typeof name === "string" && Object.hasOwn(TYPE_CHECKS, name) ? TYPE_CHECKS[name] : undefined;
    if (check === undefined) return undefined;
    checks.push(check);
  }
  if (checks.length === 1) return checks[0];
  return (value) => checks.some((check) => check(value));
}

function compileObject(schema: Record<string, unknown>, depth: number): Check | undefined {
  const { properties = {}, required = [], additionalProperties = true } = schema;
  if (!isPlainObject(properties) || !Array.isArray(required)) return undefined;
  if (!required.every((name) => typeof name === "string")) return undefined;
  const known = new Map<string, Check>();
  for (const [name, subschema] of Object.entries(properties)) {
    const check = compileNode(subschema, depth + 1);
    if (check === undefined) return undefined;
    known.set(name, check);
  }
  const others = compileNode(additionalProperties, depth + 1);
  if (others === undefined) return undefined;
  const requiredNames = required as readonly string[];
  const allowsOthers = additionalProperties === true;
  return (value) => {
    if (!isPlainObject(value)) return true;
    for (const name of requiredNames) if (!Object.hasOwn(value, name)) return false;
    for (const name in value) {
      if (!Object.hasOwn(value, name)) continue;
      const check = known.get(name);
      if (check !== undefined) {
        if (!check(value[name])) return false;
      } else if (!allowsOthers && !others(value[name])) return false;
    }
    return true;
  };
}

function compileItems(argument: unknown, depth: number): Check | undefined {
  const check = compileNode(argument, depth + 1);
  if (check === undefined) return undefined;
  return ifArray((value) => value.every((item) => check(item)));
}

function compileEnum(argument: unknown): Check | undefined {
  if (!Array.isArray(argument) || !argument.every(isPrimitive)) return undefined;
  const allowed = new Set<unknown>(argument);
  return (value) => allowed.has(value);
}

function all(checks: readonly Check[]): Check {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0] as Check;
  return (value) => {
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

const ifArray =
  (check: (value: unknown[]) => boolean): Check =>
  (value) =>
    !Array.isArray(value) || check(value);
const ifString =
  (check: (value: string) => boolean): Check =>
  (value) =>
    typeof value !== "string" || check(value);
const ifNumber =
  (check: (value: number) => boolean): Check =>
  (value) =>
    typeof value !== "number" || check(value);

function firstOf(schema: Record<string, unknown>, keywords: readonly string[]): string | undefined {
  for (const key in schema) if (keywords.includes(key)) return key;
  return undefined;
}

/** String length as JSON Schema counts it: in code points, not UTF-16 units. */
function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
