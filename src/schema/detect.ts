import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { SchemaShape, SchemaSpec } from "./types.js";

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof props === "object" &&
    props !== null &&
    typeof (props as { validate?: unknown }).validate === "function"
  );
}

/** A non-empty object whose every value is a Standard Schema. `{}` counts as an empty shape. */
export function isSchemaShape(value: SchemaSpec): value is SchemaShape {
  if (isStandardSchema(value)) return false;
  const values = Object.values(value);
  return values.length === 0 || values.every(isStandardSchema);
}
