import type { StandardSchemaV1 } from "@standard-schema/spec";

/** A plain JSON Schema object (2020-12 unless it says otherwise with `$schema`). */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
}

/** `{ a: z.number(), b: z.string() }`: one Standard Schema per argument. */
export type SchemaShape = { readonly [argument: string]: StandardSchemaV1 };

/**
 * What `input` (and `output`) accepts: a shape of Standard Schemas, one object
 * Standard Schema (zod, valibot, arktype, ...), or a plain JSON Schema object.
 */
export type SchemaSpec = StandardSchemaV1 | SchemaShape | JsonSchema;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type OptionalKeys<S extends SchemaShape> = {
  [K in keyof S]: undefined extends StandardSchemaV1.InferOutput<S[K]> ? K : never;
}[keyof S];

/** The handler's argument type for a shape: keys whose schema allows `undefined` are optional. */
export type InferShape<S extends SchemaShape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: StandardSchemaV1.InferOutput<S[K]> } & {
    [K in OptionalKeys<S>]?: StandardSchemaV1.InferOutput<S[K]>;
  }
>;

/** The value a handler receives (after validation, defaults and transforms) for a schema spec. */
export type InferSchema<S> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<S>
  : S extends SchemaShape
    ? InferShape<S>
    : Record<string, unknown>;

/** The value a handler must return to satisfy an output spec (its input side: before transforms). */
export type InferSchemaInput<S> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferInput<S>
  : S extends SchemaShape
    ? { [K in keyof S]: StandardSchemaV1.InferInput<S[K]> }
    : unknown;

/** One problem found in a value: where (`path`) and what. */
export interface SchemaIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type ValidationOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly SchemaIssue[] };
