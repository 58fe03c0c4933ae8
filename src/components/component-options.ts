import { isStandardSchema } from "../schema/detect.js";
import { checkKnownKeys, type KeyList } from "../util/known-keys.js";
import { checkScopes } from "./scopes.js";

/**
 * How one kind of component's options are checked at registration. Under
 * `npx tsx` (no type check) a tool registered with `inputSchema:` (the
 * official SDK's name), or with its argument shape not wrapped in `input:`,
 * would otherwise register with no parameters and drop every argument.
 */
export interface ComponentOptionRules {
  /** Every option key of the kind, kept in step with its type by `satisfies`. */
  readonly known: KeyList<object>;
  /** Other SDKs' and frameworks' names for the same options. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Where argument schemas belong (`input` for tools, `args` for prompts). */
  readonly wrapIn?: string;
}

/** Refuses unknown keys; keys whose values are schemas are arguments that need wrapping. */
export function checkComponentOptions(
  options: object,
  rules: ComponentOptionRules,
  owner: string,
): void {
  const { known, aliases, wrapIn } = rules;
  if (wrapIn !== undefined) {
    const values = options as Record<string, unknown>;
    const schemas = Object.keys(options).filter(
      (key) => !Object.hasOwn(known, key) && isStandardSchema(values[key]),
    );
    if (schemas.length > 0)
      throw new TypeError(
        `${owner}: ${schemas.map((key) => `"${key}"`).join(", ")} ${schemas.length > 1 ? "are schemas" : "is a schema"} among the options; put the arguments under ${wrapIn}: { ${wrapIn}: { ${schemas.join(", ")} } }`,
      );
  }
  checkKnownKeys(options, known, aliases ? { owner, aliases } : { owner });
  checkScopes((options as { scopes?: unknown }).scopes, owner);
}
