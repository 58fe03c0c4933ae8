import type { Context } from "../context.js";
import type { Logger } from "../logger.js";
import { invalidParams, McpError } from "../protocol/errors.js";
import { InputRequired } from "../protocol/input-required.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import { endsRound } from "../protocol/mrtr.js";
import type { RequestTrace } from "../protocol/telemetry.js";
import type {
  Icon,
  Meta,
  PromptArgumentDefinition,
  PromptDefinition,
  PromptMessage,
} from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { type CompiledSchema, compileSchema } from "../schema/compile.js";
import { isSchemaShape, isStandardSchema } from "../schema/detect.js";
import { formatIssues } from "../schema/issues.js";
import type { InferShape, JsonSchema, SchemaShape } from "../schema/types.js";
import type { KeyList } from "../util/known-keys.js";
import { type Completer, type Completers, checkCompleters, completerFor } from "./completion.js";
import { type ComponentOptionRules, checkComponentOptions } from "./component-options.js";
import { convertPromptReturn, type PromptReturn } from "./prompt-result.js";
import { PerVersion } from "./version-bucket.js";

export interface PromptOptions<A extends SchemaShape | undefined, L = unknown> {
  description?: string;
  /** A human-readable name (sent from 2025-06-18). */
  title?: string;
  /**
   * The arguments: one Standard Schema per argument. Clients send strings;
   * an argument whose schema is not a string is parsed from JSON first.
   */
  args?: A;
  /** Completers for the arguments (`completion/complete`). */
  complete?: Completers<A extends SchemaShape ? keyof A & string : never, L>;
  /** Sent from 2025-11-25. */
  icons?: Icon[];
  /** `_meta` on the definition (sent from 2025-06-18). */
  meta?: Meta;
  /**
   * OAuth scopes a caller's token must grant to see and use it (HTTP with a
   * token verifier): it is left out of lists for other callers, and a call
   * gets 403 naming the scopes (the step-up challenge).
   */
  scopes?: readonly string[];
  /** Registered but hidden until enabled. Default true. */
  enabled?: boolean;
}

const PROMPT_OPTIONS: ComponentOptionRules = {
  known: {
    description: true,
    title: true,
    args: true,
    complete: true,
    icons: true,
    meta: true,
    enabled: true,
    scopes: true,
  } satisfies KeyList<PromptOptions<undefined>>,
  aliases: { arguments: "args", argsSchema: "args", input: "args", _meta: "meta" },
  wrapIn: "args",
};

/** The value a prompt's handler receives. */
export type PromptArgs<A> = A extends SchemaShape ? InferShape<A> : Record<string, never>;

export type PromptHandler<A, L> = (
  args: PromptArgs<A>,
  ctx: Context<L>,
) => PromptReturn | Promise<PromptReturn>;

/** The handle `mcp.prompt()` returns: change a registered prompt at any time. */
export interface PromptHandle {
  readonly name: string;
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  /** Replaces options and/or the handler; the prompt keeps its place in the list. */
  update(changes: PromptUpdate): void;
  remove(): void;
}

export interface PromptUpdate
  extends Omit<PromptOptions<SchemaShape | undefined>, "enabled" | "complete"> {
  complete?: Readonly<Record<string, (value: string, context: never, ctx: never) => unknown>>;
  /** A replacement handler; its argument type follows the new arguments, so it is not checked here. */
  handler?: (args: never, ctx: never) => unknown;
}

type AnyHandler = (args: unknown, ctx: Context<unknown>) => unknown;

export interface PromptSettings {
  readonly maskErrorDetails: boolean;
}

const JSON_HINT = "Provide as a JSON string matching the following schema: ";

/** A registered prompt with its argument list and validator computed once. */
export class Prompt {
  readonly key: string;
  readonly name: string;
  enabled: boolean;
  readonly options: PromptOptions<SchemaShape | undefined>;
  readonly handler: AnyHandler;
  readonly #names: readonly string[];
  readonly #args: CompiledSchema | undefined;
  readonly #definitions: PerVersion<PromptDefinition>;

  constructor(name: string, options: PromptOptions<SchemaShape | undefined>, handler: AnyHandler) {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError("A prompt needs a non-empty name");
    const what = `Prompt "${name}"`;
    if (typeof handler !== "function")
      throw new TypeError(`${what}: the handler must be a function`);
    if (typeof options !== "object" || options === null)
      throw new TypeError(`${what}: options must be an object`);
    checkComponentOptions(options, PROMPT_OPTIONS, what);
    const args = options.args;
    if (args !== undefined && (isStandardSchema(args) || !isSchemaShape(args))) {
      throw new TypeError(
        `${what}: args must be a shape of Standard Schemas, one per argument, like { name: z.string() }`,
      );
    }
    this.key = name;
    this.name = name;
    this.options = options;
    this.handler = handler;
    this.enabled = options.enabled ?? true;
    this.#names = args ? Object.keys(args) : [];
    checkCompleters(
      options.complete as Readonly<Record<string, unknown>> | undefined,
      this.#names,
      what,
    );
    this.#args = args ? compileSchema(args, "input", `${what} args`) : undefined;
    this.#definitions = new PerVersion((version) => this.#buildDefinition(version));
  }

  /** Resolves once async schema conversion (valibot) has finished. */
  get ready(): Promise<void> | undefined {
    const ready = this.#args?.ready;
    return ready?.then(() => this.#definitions.clear());
  }

  get hasCompleters(): boolean {
    return this.options.complete !== undefined && Object.keys(this.options.complete).length > 0;
  }

  completer(argument: string): Completer | undefined {
    return completerFor(this.options.complete, argument);
  }

  /** The definition as `prompts/list` shows it to a client of `version`. */
  definition(version: ProtocolVersion): PromptDefinition {
    return this.#definitions.get(version);
  }

  #properties(): Readonly<Record<string, JsonSchema>> {
    return (this.#args?.jsonSchema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
  }

  #required(): readonly string[] {
    return (this.#args?.jsonSchema.required ?? []) as readonly string[];
  }

  #buildDefinition(version: ProtocolVersion): PromptDefinition {
    const { title, description, icons, meta } = this.options;
    const definition: PromptDefinition = { name: this.name };
    if (title !== undefined && versionAtLeast(version, "2025-06-18")) definition.title = title;
    if (description !== undefined) definition.description = description;
    if (this.#names.length > 0) {
      const properties = this.#properties();
      const required = this.#required();
      definition.arguments = this.#names.map((name) => {
        const schema = properties[name] ?? {};
        const argument: PromptArgumentDefinition = { name };
        if (typeof schema.title === "string" && versionAtLeast(version, "2025-06-18"))
          argument.title = schema.title;
        const hint = parsesJson(schema) ? `${JSON_HINT}${JSON.stringify(schema)}` : undefined;
        const text = [schema.description, hint].filter((part) => typeof part === "string");
        if (text.length > 0) argument.description = text.join("\n\n");
        argument.required = required.includes(name);
        return argument;
      });
    }
    if (icons !== undefined && versionAtLeast(version, "2025-11-25")) definition.icons = icons;
    if (meta !== undefined && versionAtLeast(version, "2025-06-18")) definition._meta = meta;
    return definition;
  }

  /**
   * Validates the arguments, runs the handler and converts its messages; bad
   * arguments are -32602, the handler's failures -32603. An `InputRequired`
   * (returned or thrown) and an unanswered ask end the round instead: they go
   * to the engine as they are.
   */
  async render(
    args: Readonly<Record<string, unknown>>,
    ctx: Context<unknown>,
    settings: PromptSettings,
    logger: Logger,
    trace?: RequestTrace,
  ): Promise<PromptMessage[]> {
    let value: unknown = {};
    if (this.#args) {
      const missing = this.#required().filter((name) => args[name] === undefined);
      if (missing.length > 0) {
        throw invalidParams(
          `Missing required argument${missing.length > 1 ? "s" : ""} for prompt "${this.name}": ${missing.join(", ")}`,
          { prompt: this.name, missing },
        );
      }
      const outcome = await this.#args.validate(this.#coerce(args));
      if (!outcome.ok) {
        throw invalidParams(
          `Invalid arguments for prompt "${this.name}": ${formatIssues(outcome.issues)}`,
          { prompt: this.name },
        );
      }
      value = outcome.value;
    }
    try {
      const returned = await (trace?.steps
        ? trace.span(
            `render_prompt ${this.name}`,
            () => this.handler(value, ctx),
            { "gen_ai.prompt.name": this.name },
            true,
          )
        : this.handler(value, ctx));
      // Returned or thrown, it ends the round: the engine answers input_required.
      if (returned instanceof InputRequired) throw returned;
      return convertPromptReturn(returned, `Prompt "${this.name}"`);
    } catch (error) {
      if (error instanceof McpError || endsRound(error)) throw error;
      if (ctx.signal.aborted && error === ctx.signal.reason) throw error;
      logger.error(`Prompt "${this.name}" failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      throw new McpError(
        ErrorCode.InternalError,
        settings.maskErrorDetails
          ? `Error rendering prompt ${this.name}`
          : `Error rendering prompt ${this.name}: ${message}`,
        undefined,
        { cause: error },
      );
    }
  }

  /** Clients send every argument as a string; arguments typed otherwise are parsed from JSON. */
  #coerce(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const properties = this.#properties();
    const coerced: Record<string, unknown> = {};
    for (const name of this.#names) {
      const raw = args[name];
      if (typeof raw === "string" && parsesJson(properties[name] ?? {})) {
        try {
          coerced[name] = JSON.parse(raw);
          continue;
        } catch {
          // not JSON: the schema will say what it expected
        }
      }
      if (raw !== undefined) coerced[name] = raw;
    }
    return coerced;
  }
}

/** True when an argument's schema wants something other than a string. */
function parsesJson(schema: JsonSchema): boolean {
  const type = schema.type;
  if (type === undefined) return false;
  const types = Array.isArray(type) ? type : [type];
  return !types.includes("string");
}
