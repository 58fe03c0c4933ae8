import { isRecord } from "../protocol/meta.js";

/**
 * Reading a tool's JSON Schema the way a person at a terminal needs it:
 * each parameter's type in a few words, and the JSON types a command-line
 * value may become. Schemas come from any server, so nothing here trusts
 * their shape.
 */

/** One property of an object schema. */
export interface Parameter {
  readonly name: string;
  readonly schema: unknown;
  readonly required: boolean;
}

/** Follows a local `$ref` (`#/$defs/Point`) once; anything else stays as it is. */
export function resolve(schema: unknown, root: unknown): unknown {
  if (!isRecord(schema) || typeof schema.$ref !== "string" || !schema.$ref.startsWith("#/"))
    return schema;
  let node: unknown = root;
  for (const part of schema.$ref.slice(2).split("/")) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node === undefined || node === schema ? schema : node;
}

/** The properties of an object schema, in its order, each marked required or not. */
export function parametersOf(schema: unknown): Parameter[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    schema: property,
    required: required.has(name),
  }));
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

/**
 * The JSON types a value of `schema` may have (`"integer"` counts apart), or
 * undefined when the schema does not say (any value).
 */
export function typesOf(schema: unknown, root: unknown, depth = 0): Set<string> | undefined {
  const node = resolve(schema, root);
  if (!isRecord(node) || depth > 8) return undefined;
  if (Array.isArray(node.enum)) return new Set(node.enum.map(jsonTypeOf));
  if ("const" in node) return new Set([jsonTypeOf(node.const)]);
  if (typeof node.type === "string") return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type.map(String));
  const members = Array.isArray(node.anyOf) ? node.anyOf : node.oneOf;
  if (!Array.isArray(members)) return undefined;
  const union = new Set<string>();
  for (const member of members) {
    const types = typesOf(member, root, depth + 1);
    if (types === undefined) return undefined;
    for (const type of types) union.add(type);
  }
  return union;
}

/** A schema's type in a few words: `number`, `string[]`, `"a" | "b"`, `object { x, y }`. */
export function typeText(schema: unknown, root: unknown, depth = 0): string {
  const node = resolve(schema, root);
  if (!isRecord(node) || depth > 4) return "any";
  if (Array.isArray(node.enum)) return node.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in node) return JSON.stringify(node.const);
  const members = Array.isArray(node.anyOf) ? node.anyOf : node.oneOf;
  if (Array.isArray(members))
    return members.map((member) => typeText(member, root, depth + 1)).join(" | ");
  const types = typeof node.type === "string" ? [node.type] : node.type;
  if (!Array.isArray(types)) return isRecord(node.properties) ? objectText(node, depth) : "any";
  return types
    .map((type) => {
      if (type === "array")
        return node.items === undefined ? "array" : `${typeText(node.items, root, depth + 1)}[]`;
      if (type === "object") return objectText(node, depth);
      return String(type);
    })
    .join(" | ");
}

function objectText(node: Record<string, unknown>, depth: number): string {
  const names = parametersOf(node).map((p) => (p.required ? p.name : `${p.name}?`));
  if (names.length === 0 || depth > 1) return "object";
  const shown = names.length > 6 ? [...names.slice(0, 6), "..."] : names;
  return `object { ${shown.join(", ")} }`;
}

/** `a: number (required)`, with its default and description when it has them. */
export function parameterText(parameter: Parameter, root: unknown): string {
  const node = resolve(parameter.schema, root);
  let text = `${parameter.name}: ${typeText(node, root)}`;
  if (parameter.required) text += " (required)";
  if (isRecord(node) && "default" in node) text += ` = ${JSON.stringify(node.default)}`;
  const description = isRecord(node) ? node.description : undefined;
  if (typeof description === "string" && description !== "") text += ` - ${oneLine(description)}`;
  return text;
}

/** Server text on one line, so a listing keeps its shape. */
export function oneLine(text: string, limit = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit)}...` : line;
}
