import { isRecord } from "../protocol/meta.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import type { JsonSchema } from "../schema/types.js";

type Schema = Record<string, unknown>;

const STRING_FORMATS: ReadonlySet<string> = new Set(["email", "uri", "date", "date-time"]);

/**
 * Turns the JSON Schema of an elicitation form into the restricted subset
 * `requestedSchema` allows (2025-11-25): a flat object of strings, numbers,
 * booleans, single-select enums (titled through `oneOf`) and multi-select
 * arrays of enums, each with an optional default. Constraints outside the
 * subset (`pattern`, `exclusiveMinimum`, other formats) are dropped from what
 * the client sees, because the server still validates the answer with the
 * full schema; a field that is not a primitive is refused with a TypeError.
 */
export function toRequestedSchema(schema: JsonSchema, what: string): Schema {
  if (schema.type !== "object") {
    throw new TypeError(`${what}: an elicitation form must be an object of fields`);
  }
  if (schema.$ref !== undefined || schema.$defs !== undefined) {
    throw new TypeError(`${what}: an elicitation form cannot use $ref or $defs; keep it flat`);
  }
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const fields: Schema = {};
  for (const [name, property] of Object.entries(properties)) {
    fields[name] = field(property, `${what}, field "${name}"`);
  }
  const requested: Schema = { type: "object", properties: fields };
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === "string" && name in fields)
    : [];
  if (required.length > 0) requested.required = required;
  return requested;
}

function field(property: unknown, what: string): Schema {
  if (!isRecord(property)) throw new TypeError(`${what}: expected a JSON Schema object`);
  const options = enumOptions(property);
  if (options) return singleSelect(property, options);
  switch (property.type) {
    case "string":
      return stringField(property);
    case "number":
    case "integer":
      return pick(property, { type: property.type }, ["minimum", "maximum"], "number");
    case "boolean":
      return pick(property, { type: "boolean" }, [], "boolean");
    case "array":
      return multiSelect(property, what);
  }
  throw new TypeError(
    `${what}: elicitation fields must be a string, number, integer, boolean, enum, or a ` +
      `multi-select array of enum values, not ${JSON.stringify(property)}` +
      (Array.isArray(property.type) || property.anyOf
        ? " (a field cannot be null or a union; make it optional instead)"
        : ""),
  );
}

function stringField(property: Schema): Schema {
  const out = pick(property, { type: "string" }, ["minLength", "maxLength"], "string");
  if (typeof property.format === "string" && STRING_FORMATS.has(property.format)) {
    out.format = property.format;
  }
  return out;
}

interface EnumOption {
  readonly value: string;
  readonly title: string | undefined;
}

/** `enum`, `const`, or `oneOf`/`anyOf` of string constants (zod unions of literals): an enum. */
function enumOptions(property: Schema): EnumOption[] | undefined {
  if (Array.isArray(property.enum)) {
    if (!property.enum.every((value) => typeof value === "string")) return undefined;
    const names = Array.isArray(property.enumNames) ? property.enumNames : [];
    return property.enum.map((value, index) => ({
      value: value as string,
      title: typeof names[index] === "string" ? (names[index] as string) : undefined,
    }));
  }
  if (typeof property.const === "string") return [{ value: property.const, title: undefined }];
  const choices = property.oneOf ?? property.anyOf;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const options: EnumOption[] = [];
  for (const choice of choices) {
    if (!isRecord(choice) || typeof choice.const !== "string") return undefined;
    options.push({
      value: choice.const,
      title: typeof choice.title === "string" ? choice.title : undefined,
    });
  }
  return options;
}

function singleSelect(property: Schema, options: EnumOption[]): Schema {
  const out = pick(property, { type: "string" }, [], "string");
  if (isLegacyTitled(property)) {
    // Deprecated but valid in every version (LegacyTitledEnumSchema): sent as written.
    out.enum = options.map((option) => option.value);
    out.enumNames = options.map((option) => option.title);
  } else if (options.some((option) => option.title !== undefined)) {
    out.oneOf = options.map((option) => ({
      const: option.value,
      title: option.title ?? option.value,
    }));
  } else out.enum = options.map((option) => option.value);
  return out;
}

/** `enum` with an `enumNames` title for every value, as 2025-06-18 wrote titled enums. */
function isLegacyTitled(property: Schema): boolean {
  const { enum: values, enumNames: names } = property;
  return (
    Array.isArray(values) &&
    Array.isArray(names) &&
    names.length === values.length &&
    names.every((name) => typeof name === "string")
  );
}

function multiSelect(property: Schema, what: string): Schema {
  const options = isRecord(property.items) ? enumOptions(property.items) : undefined;
  if (!options) {
    throw new TypeError(
      `${what}: an array field must be a multi-select of string enum values (items with enum or const options)`,
    );
  }
  const out = pick(property, { type: "array" }, ["minItems", "maxItems"], "string[]");
  out.items = options.some((option) => option.title !== undefined)
    ? {
        anyOf: options.map((option) => ({
          const: option.value,
          title: option.title ?? option.value,
        })),
      }
    : { type: "string", enum: options.map((option) => option.value) };
  return out;
}

type DefaultKind = "string" | "number" | "boolean" | "string[]";

/** Copies `title`, `description`, a default of the right type, and the named numeric keywords. */
function pick(
  property: Schema,
  out: Schema,
  numeric: readonly string[],
  kind: DefaultKind,
): Schema {
  if (typeof property.title === "string") out.title = property.title;
  if (typeof property.description === "string") out.description = property.description;
  for (const keyword of numeric) {
    if (typeof property[keyword] === "number") out[keyword] = property[keyword];
  }
  if (property.default !== undefined && defaultFits(property.default, kind)) {
    out.default = property.default;
  }
  return out;
}

function defaultFits(value: unknown, kind: DefaultKind): boolean {
  if (kind === "string[]") return Array.isArray(value) && value.every((v) => typeof v === "string");
  return typeof value === kind;
}

/**
 * 2025-06-18 knew a smaller subset: no defaults except on booleans, titled
 * enums as `enum` + `enumNames`, and no multi-select.
 */
export function requestedSchemaFor(schema: Schema, version: ProtocolVersion): Schema {
  if (versionAtLeast(version, "2025-11-25")) return schema;
  const fields: Schema = {};
  for (const [name, value] of Object.entries(schema.properties as Schema)) {
    const property = { ...(value as Schema) };
    if (property.type === "array") {
      throw new TypeError(
        `Elicitation field "${name}" is a multi-select, which needs protocol 2025-11-25; this client speaks ${version}`,
      );
    }
    if (property.type !== "boolean") delete property.default;
    if (Array.isArray(property.oneOf)) {
      const options = property.oneOf as { const: string; title: string }[];
      delete property.oneOf;
      property.enum = options.map((option) => option.const);
      property.enumNames = options.map((option) => option.title);
    }
    fields[name] = property;
  }
  return { ...schema, properties: fields };
}
