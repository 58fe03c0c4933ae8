import { Validator } from "@cfworker/json-schema";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { isRecord } from "../protocol/meta.js";
import { isSchemaShape, isStandardSchema } from "./detect.js";
import { compileFastCheck } from "./fast-check.js";
import { fromStandardIssues } from "./issues.js";
import { objectSchemaFromProperties, standardToJsonSchema } from "./json-schema.js";
import type { JsonSchema, SchemaIssue, SchemaSpec, ValidationOutcome } from "./types.js";

/**
 * A schema spec turned, once at registration, into what requests need: the
 * JSON Schema clients see and a validator. `ready` is set while an async
 * converter (valibot's) is still producing the JSON Schema.
 */
export interface CompiledSchema {
  jsonSchema: JsonSchema;
  ready: Promise<void> | undefined;
  validate(value: unknown): ValidationOutcome | Promise<ValidationOutcome>;
}

type Direction = "input" | "output";

export function compileSchema(
  spec: SchemaSpec,
  direction: Direction,
  what: string,
): CompiledSchema {
  if (isStandardSchema(spec)) return compileStandard(spec, direction, what);
  if (isSchemaShape(spec)) return compileShape(spec, direction, what);
  const mixed = Object.entries(spec).filter(([, value]) => isStandardSchema(value));
  if (mixed.length > 0) {
    throw new TypeError(
      `${what}: "${mixed[0]?.[0]}" is a schema but other properties are not; pass a shape whose every value is a Standard Schema, or a plain JSON Schema`,
    );
  }
  return compilePlain(spec, what);
}

function withJsonSchema(
  compiled: Omit<CompiledSchema, "jsonSchema" | "ready">,
  jsonSchema: JsonSchema | Promise<JsonSchema>,
): CompiledSchema {
  if (!(jsonSchema instanceof Promise)) return { ...compiled, jsonSchema, ready: undefined };
  const result: CompiledSchema = { ...compiled, jsonSchema: {}, ready: undefined };
  result.ready = jsonSchema.then((schema) => {
    result.jsonSchema = schema;
    result.ready = undefined;
  });
  return result;
}

function compileStandard(
  schema: StandardSchemaV1,
  direction: Direction,
  what: string,
): CompiledSchema {
  const arguments_ = direction === "input";
  return withJsonSchema(
    { validate: (value) => validateStandard(schema, value, [], arguments_) },
    standardToJsonSchema(schema, direction, what),
  );
}

function validateStandard(
  schema: StandardSchemaV1,
  value: unknown,
  prefix: readonly (string | number)[],
  arguments_: boolean,
): ValidationOutcome | Promise<ValidationOutcome> {
  const result = schema["~standard"].validate(value);
  return result instanceof Promise
    ? result.then((settled) => toOutcome(settled, prefix, arguments_ ? value : undefined))
    : toOutcome(result, prefix, arguments_ ? value : undefined);
}

function toOutcome(
  result: StandardSchemaV1.Result<unknown>,
  prefix: readonly (string | number)[],
  args: unknown,
): ValidationOutcome {
  if (!result.issues) return { ok: true, value: result.value };
  const issues = fromStandardIssues(result.issues, prefix);
  return { ok: false, issues: isRecord(args) ? namingMissing(issues, args) : issues };
}

/**
 * An argument left out reads "missing required argument" rather than the
 * library's "expected number, received undefined", as prompts say it.
 */
function namingMissing(issues: SchemaIssue[], args: Record<string, unknown>): SchemaIssue[] {
  return issues.map((issue) => {
    const [key, ...rest] = issue.path;
    return rest.length === 0 && typeof key === "string" && args[key] === undefined
      ? { path: [], message: missingArgument(key) }
      : issue;
  });
}

function missingArgument(key: string): string {
  return `missing required argument "${key}"`;
}

/** Whether a schema accepts `undefined`, i.e. the argument may be left out. */
function acceptsUndefined(schema: StandardSchemaV1): boolean {
  try {
    const result = schema["~standard"].validate(undefined);
    return !(result instanceof Promise) && !result.issues;
  } catch {
    return false;
  }
}

function compileShape(
  shape: Readonly<Record<string, StandardSchemaV1>>,
  direction: Direction,
  what: string,
): CompiledSchema {
  const entries = Object.entries(shape);
  const required = entries.filter(([, schema]) => !acceptsUndefined(schema)).map(([key]) => key);
  const propertySchemas = entries.map(
    ([key, schema]) => [key, standardToJsonSchema(schema, direction, `${what}, "${key}"`)] as const,
  );
  const build = (resolved: ReadonlyArray<readonly [string, JsonSchema]>) =>
    objectSchemaFromProperties(new Map(resolved), required, what);
  const jsonSchema = propertySchemas.some(([, schema]) => schema instanceof Promise)
    ? Promise.all(propertySchemas.map(async ([key, schema]) => [key, await schema] as const)).then(
        build,
      )
    : build(propertySchemas as ReadonlyArray<readonly [string, JsonSchema]>);
  const arguments_ = direction === "input";
  return withJsonSchema(
    { validate: (value) => validateShape(entries, value, arguments_) },
    jsonSchema,
  );
}

function validateShape(
  entries: ReadonlyArray<readonly [string, StandardSchemaV1]>,
  value: unknown,
  arguments_: boolean,
): ValidationOutcome | Promise<ValidationOutcome> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, issues: [{ path: [], message: "Expected an object of named arguments" }] };
  }
  // Runs on every call: no per-argument outcome objects or closures unless an
  // argument is invalid or its schema is async.
  const input = value as Record<string, unknown>;
  const output: Record<string, unknown> = {};
  let issues: SchemaIssue[] | undefined;
  let pending: Promise<void>[] | undefined;
  for (const [key, schema] of entries) {
    const argument = input[key];
    const missing = arguments_ && argument === undefined;
    const result = schema["~standard"].validate(argument);
    if (result instanceof Promise) {
      pending ??= [];
      pending.push(
        result.then((settled) => {
          issues = collectArgument(output, issues, key, settled, missing);
        }),
      );
    } else issues = collectArgument(output, issues, key, result, missing);
  }
  if (pending) return Promise.all(pending).then(() => shapeOutcome(output, issues));
  return shapeOutcome(output, issues);
}

/** Puts one argument's validated value in `output`, or its issues in the list it returns. */
function collectArgument(
  output: Record<string, unknown>,
  issues: SchemaIssue[] | undefined,
  key: string,
  result: StandardSchemaV1.Result<unknown>,
  missing: boolean,
): SchemaIssue[] | undefined {
  if (result.issues) {
    const found = missing
      ? [{ path: [], message: missingArgument(key) }]
      : fromStandardIssues(result.issues, [key]);
    if (issues === undefined) return found;
    issues.push(...found);
    return issues;
  }
  if (result.value !== undefined) output[key] = result.value;
  return issues;
}

function shapeOutcome(
  output: Record<string, unknown>,
  issues: SchemaIssue[] | undefined,
): ValidationOutcome {
  return issues ? { ok: false, issues } : { ok: true, value: output };
}

function compilePlain(schema: JsonSchema, what: string): CompiledSchema {
  let validator: Validator;
  try {
    validator = new Validator(
      schema as ConstructorParameters<typeof Validator>[0],
      "2020-12",
      false,
    );
  } catch (error) {
    throw new TypeError(`${what}: invalid JSON Schema: ${(error as Error).message}`);
  }
  // Most values are valid: a precompiled check accepts them at a fraction of
  // the general validator's cost, which then only runs to explain a rejection.
  const accepts = compileFastCheck(schema);
  return {
    jsonSchema: schema,
    ready: undefined,
    validate(value) {
      if (accepts?.(value)) return { ok: true, value };
      const result = validator.validate(value);
      if (result.valid) return { ok: true, value };
      return { ok: false, issues: plainIssues(result.errors) };
    },
  };
}

/**
 * cfworker reports every failing keyword up the tree; the leaf errors (the
 * deepest location per keyword chain) are the ones that name the bad field.
 */
function plainIssues(
  errors: ReadonlyArray<{ instanceLocation: string; error: string; keyword: string }>,
) {
  const leaves = errors.filter(
    (error) =>
      !["properties", "items", "allOf", "anyOf", "oneOf", "$ref", "prefixItems"].includes(
        error.keyword,
      ),
  );
  const chosen = leaves.length > 0 ? leaves : errors;
  return chosen.map((error) => ({
    path: error.instanceLocation
      .replace(/^#\/?/, "")
      .split("/")
      .filter((segment) => segment !== "")
      .map((segment) => decodeURIComponent(segment.replace(/~1/g, "/").replace(/~0/g, "~"))),
    message: error.error,
  }));
}
