import { isRecord } from "../protocol/meta.js";
import { CliError, EXIT } from "./errors.js";
import { type Parameter, parametersOf, resolve, typesOf, typeText } from "./schema-text.js";

/**
 * `key=value` words from the command line, turned into a tool's arguments
 * by its input schema: the shell gives strings, and `a=2` means the number
 * 2 only when the schema says `a` is a number.
 */

/** Splits `key=value` words (checked before anything loads); the value may hold `=`. */
export function splitPairs(words: readonly string[]): [key: string, raw: string][] {
  return words.map((word) => {
    const equals = word.indexOf("=");
    if (equals <= 0)
      throw new CliError(
        `Arguments are key=value; "${word}" is not (for JSON values, use --json '{"key": ...}')`,
        EXIT.usage,
      );
    return [word.slice(0, equals), word.slice(equals + 1)];
  });
}

/** `--json '{...}'`: the structured arguments, which must be one JSON object. */
export function jsonArguments(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--json is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (!isRecord(value))
    throw new CliError(
      `--json takes a JSON object of arguments, such as '{"a": 1}', not ${Array.isArray(value) ? "an array" : String(value)}`,
      EXIT.usage,
    );
  return value;
}

/**
 * The tool's arguments: `--json`'s, with each `key=value` coerced by the
 * schema on top. A key the schema does not know, a value that is not of
 * its type, or a required argument left out is an error that lists the
 * tool's parameters.
 */
export function toolArguments(
  tool: string,
  schema: unknown,
  pairs: readonly [string, string][],
  fromJson: Record<string, unknown>,
): Record<string, unknown> {
  const parameters = new Map(parametersOf(schema).map((p) => [p.name, p]));
  const args: Record<string, unknown> = { ...fromJson };
  const extra = isRecord(schema) ? schema.additionalProperties : undefined;
  for (const [key, raw] of pairs) {
    const parameter = parameters.get(key);
    if (parameter === undefined && extra !== true && !isRecord(extra))
      throw new CliError(
        `Tool "${tool}" has no parameter "${key}". ${parameterList(schema)}`,
        EXIT.usage,
      );
    // Defined as a property, so "__proto__" stays an argument and never a prototype.
    Object.defineProperty(args, key, {
      value: coerce(key, raw, parameter?.schema ?? (extra === true ? {} : extra), schema),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const missing = [...parameters.values()].filter(
    (p) => p.required && !Object.hasOwn(args, p.name),
  );
  if (missing.length > 0)
    throw new CliError(
      `Tool "${tool}" needs ${missing.map((p) => `${p.name} (${typeText(p.schema, schema)})`).join(", ")}. ${parameterList(schema)}`,
      EXIT.usage,
    );
  return args;
}

/** "Its parameters: a (number, required), b (string)", or that it takes none. */
export function parameterList(schema: unknown): string {
  const parameters = parametersOf(schema);
  if (parameters.length === 0) return "It takes no arguments.";
  const described = parameters.map(
    (p: Parameter) => `${p.name} (${typeText(p.schema, schema)}${p.required ? ", required" : ""})`,
  );
  return `Its parameters: ${described.join(", ")}.`;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One value, by the JSON types its schema allows, most specific first:
 * null, boolean, integer, number, array or object (as JSON), then string
 * (as typed). A schema that says nothing takes JSON if the value parses,
 * else the string.
 */
function coerce(key: string, raw: string, property: unknown, root: unknown): unknown {
  const types = typesOf(property, root);
  if (types === undefined) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  const picked = pick(key, raw, types);
  if (picked === undefined)
    throw new CliError(
      `Argument "${key}" must be ${expected(types)}, not "${raw.length > 60 ? `${raw.slice(0, 60)}...` : raw}"`,
      EXIT.usage,
    );
  const { value } = picked;
  const node = resolve(property, root);
  if (isRecord(node) && Array.isArray(node.enum) && !node.enum.some((v) => v === value))
    throw new CliError(
      `Argument "${key}" must be one of ${node.enum.map((v) => JSON.stringify(v)).join(", ")}, not ${JSON.stringify(value)}`,
      EXIT.usage,
    );
  return value;
}

/** The value as the first of the allowed types it reads as, or undefined when none. */
function pick(key: string, raw: string, types: Set<string>): { value: unknown } | undefined {
  if (types.has("null") && raw === "null") return { value: null };
  if (types.has("boolean") && (raw === "true" || raw === "false")) return { value: raw === "true" };
  if (types.has("integer") && INTEGER.test(raw)) return { value: Number(raw) };
  if (types.has("number") && NUMBER.test(raw) && Number.isFinite(Number(raw)))
    return { value: Number(raw) };
  if ((types.has("array") || types.has("object")) && /^\s*[[{]/.test(raw)) {
    const parsed = parseJson(key, raw);
    if (types.has(Array.isArray(parsed) ? "array" : "object")) return { value: parsed };
  }
  return types.has("string") ? { value: raw } : undefined;
}

function parseJson(key: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CliError(
      `Argument "${key}" is not valid JSON: ${(error as Error).message}`,
      EXIT.usage,
    );
  }
}

/** A Map: the type names come from the server's schema, and "constructor" must find nothing. */
const ARTICLES: ReadonlyMap<string, string> = new Map([
  ["integer", "an integer"],
  ["array", "an array (as JSON: [1, 2])"],
  ["object", 'an object (as JSON: {"k": 1})'],
  ["null", "null"],
]);

function expected(types: Set<string>): string {
  return [...types].map((type) => ARTICLES.get(type) ?? `a ${type}`).join(" or ");
}
