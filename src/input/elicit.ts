import type { StandardSchemaV1 } from "@standard-schema/spec";
import { isRecord } from "../protocol/meta.js";
import type { ProtocolVersion } from "../protocol/versions.js";
import { compileSchema } from "../schema/compile.js";
import { isStandardSchema } from "../schema/detect.js";
import { formatIssues } from "../schema/issues.js";
import type { InferSchema, JsonSchema, SchemaSpec, ValidationOutcome } from "../schema/types.js";
import { shown } from "../util/echo.js";
import { requestedSchemaFor, toRequestedSchema } from "./elicit-schema.js";
import { InvalidClientResponseError } from "./errors.js";

/**
 * What `ctx.elicit` accepts as its form: a shape of Standard Schemas, one
 * object schema (zod, valibot, arktype, ...), a plain JSON Schema, one scalar
 * schema (`z.string()`, `z.enum([...])`: the answer is that value), an array
 * of strings (pick one), or nothing (a plain confirmation).
 */
export type ElicitSchema = SchemaSpec | readonly string[] | undefined;

/** The accepted content's type for a form. */
export type ElicitContent<S> = S extends undefined
  ? Record<string, never>
  : S extends readonly string[]
    ? S[number]
    : S extends StandardSchemaV1
      ? StandardSchemaV1.InferOutput<S>
      : InferSchema<S>;

/** The user's answer: `accept` carries the content, validated and typed; `decline` and `cancel` carry none. */
export type ElicitResult<T> =
  | { readonly action: "accept"; readonly content: T }
  | { readonly action: "decline" }
  | { readonly action: "cancel" };

/** The answer to a URL-mode elicitation: whether the user agreed to open the URL. */
export interface ElicitUrlResult {
  readonly action: "accept" | "decline" | "cancel";
}

/** A form compiled once: what the client is shown, and how its answer is read. */
export interface CompiledForm {
  /** `requestedSchema` for a client of `version`. */
  requested(version: ProtocolVersion): Record<string, unknown>;
  /** Validates accepted content; the value is what the handler receives. */
  parse(content: Record<string, unknown>): ValidationOutcome | Promise<ValidationOutcome>;
}

const VALUE = "value";
const forms = new WeakMap<object, Promise<CompiledForm>>();
const CONFIRM: CompiledForm = {
  requested: () => ({ type: "object", properties: {} }),
  parse: () => ({ ok: true, value: {} }),
};

/**
 * Compiles a form once per schema object. Define forms outside the handler
 * to compile each only once; an inline shape is compiled on every call.
 */
export function compileForm(spec: ElicitSchema): Promise<CompiledForm> {
  if (spec === undefined) return Promise.resolve(CONFIRM);
  let form = forms.get(spec);
  if (!form) {
    form = buildForm(spec);
    forms.set(spec, form);
    // A schema that failed stays failed, but the next call gets the same clear error.
  }
  return form;
}

async function buildForm(spec: Exclude<ElicitSchema, undefined>): Promise<CompiledForm> {
  const what = "Elicitation form";
  if (Array.isArray(spec)) return choiceForm(spec as readonly unknown[], what);
  const compiled = compileSchema(spec as SchemaSpec, "input", what);
  if (compiled.ready) await compiled.ready;
  const json = compiled.jsonSchema;
  if (json.type === "object" || !isStandardSchema(spec)) {
    const requested = toRequestedSchema(json, what);
    return withVersions(requested, (content) => compiled.validate(content));
  }
  // One scalar schema: the form has one field, and the handler gets its value.
  const wrapped: JsonSchema = {
    type: "object",
    properties: { [VALUE]: json },
    ...(acceptsUndefined(spec) ? {} : { required: [VALUE] }),
  };
  return withVersions(toRequestedSchema(wrapped, what), (content) =>
    unwrap(compiled.validate(content[VALUE])),
  );
}

function choiceForm(options: readonly unknown[], what: string): CompiledForm {
  if (options.length === 0 || !options.every((option) => typeof option === "string")) {
    throw new TypeError(`${what}: a list of choices must be a non-empty array of strings`);
  }
  const choices = new Set(options as string[]);
  const requested = {
    type: "object",
    properties: { [VALUE]: { type: "string", enum: [...choices] } },
    required: [VALUE],
  };
  return withVersions(requested, (content) => {
    const value = content[VALUE];
    return typeof value === "string" && choices.has(value)
      ? { ok: true, value }
      : {
          ok: false,
          issues: [{ path: [VALUE], message: `Expected one of ${[...choices].join(", ")}` }],
        };
  });
}

function withVersions(
  requested: Record<string, unknown>,
  parse: CompiledForm["parse"],
): CompiledForm {
  const byVersion = new Map<string, Record<string, unknown>>();
  return {
    requested(version) {
      let schema = byVersion.get(version);
      if (!schema) {
        schema = requestedSchemaFor(requested, version);
        byVersion.set(version, schema);
      }
      return schema;
    },
    parse,
  };
}

function unwrap(
  outcome: ValidationOutcome | Promise<ValidationOutcome>,
): ValidationOutcome | Promise<ValidationOutcome> {
  const prefix = (settled: ValidationOutcome): ValidationOutcome =>
    settled.ok
      ? settled
      : { ok: false, issues: settled.issues.map((i) => ({ ...i, path: [VALUE, ...i.path] })) };
  return outcome instanceof Promise ? outcome.then(prefix) : prefix(outcome);
}

function acceptsUndefined(schema: StandardSchemaV1): boolean {
  try {
    const result = schema["~standard"].validate(undefined);
    return !(result instanceof Promise) && !result.issues;
  } catch {
    return false;
  }
}

const ACTIONS: ReadonlySet<string> = new Set(["accept", "decline", "cancel"]);

/** Reads the client's `ElicitResult`; accepted content must fit the form. */
export async function readElicitResult(
  response: Record<string, unknown>,
  form: CompiledForm,
): Promise<ElicitResult<unknown>> {
  const action = readAction(response);
  if (action !== "accept") return { action };
  const content = response.content ?? {};
  if (!isRecord(content)) {
    throw new InvalidClientResponseError(
      "The client accepted the elicitation without a content object",
    );
  }
  const outcome = await form.parse(content);
  if (!outcome.ok) {
    throw new InvalidClientResponseError(
      `The client's elicitation answer does not fit the form: ${formatIssues(outcome.issues)}`,
      outcome.issues,
    );
  }
  return { action, content: outcome.value };
}

export function readAction(response: Record<string, unknown>): ElicitUrlResult["action"] {
  const action = response.action;
  if (typeof action !== "string" || !ACTIONS.has(action)) {
    throw new InvalidClientResponseError(
      `The client's elicitation result has no valid action (accept, decline or cancel): ${shown(action)}`,
    );
  }
  return action as ElicitUrlResult["action"];
}
