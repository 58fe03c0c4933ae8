import type { Context } from "../context.js";
import type { Logger } from "../logger.js";
import { McpError } from "../protocol/errors.js";
import { InputRequired } from "../protocol/input-required.js";
import { endsRound } from "../protocol/mrtr.js";
import type { ParamHeader } from "../protocol/param-header.js";
import type { RequestTrace } from "../protocol/telemetry.js";
import type {
  CallToolResult,
  Icon,
  Meta,
  ToolAnnotations,
  ToolDefinition,
} from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { type CompiledSchema, compileSchema } from "../schema/compile.js";
import { formatIssues } from "../schema/issues.js";
import type { InferSchema, InferSchemaInput, JsonSchema, SchemaSpec } from "../schema/types.js";
import { nestedDeeperThan } from "../util/depth.js";
import type { KeyList } from "../util/known-keys.js";
import { type ComponentOptionRules, checkComponentOptions } from "./component-options.js";
import { extractParamHeaders } from "./param-headers.js";
import { type CompiledOutput, convertWithOutput } from "./tool-output.js";
import { convertToolReturn, errorResult, ToolError, type ToolResult } from "./tool-result.js";
import { checkTaskMode, type TaskConfig, type TaskMode } from "./tool-task.js";

export interface ToolOptions<I extends SchemaSpec | undefined, O extends SchemaSpec | undefined> {
  description?: string;
  title?: string;
  /** The arguments: a shape of Standard Schemas, one object schema, or a JSON Schema. */
  input?: I;
  /** The structured result's schema; results are validated against it. */
  output?: O;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  meta?: Meta;
  /**
   * OAuth scopes a caller's token must grant to see and use it (HTTP with a
   * token verifier): it is left out of lists for other callers, and a call
   * gets 403 naming the scopes (the step-up challenge).
   */
  scopes?: readonly string[];
  /** Registered but hidden and uncallable until enabled. Default true. */
  enabled?: boolean;
  /**
   * Runs as a task of the tasks extension (2026-07-28): the call answers at
   * once with a task the client polls. "optional": a task for clients that
   * declare the extension, an ordinary call for others; "required": clients
   * without it get -32021. `{ mode, inputFirst: true }`: the handler starts
   * in the tools/call (its asks are ordinary rounds) and makes the call a
   * task with `ctx.runAsTask()`. Default: never a task.
   */
  task?: TaskMode | TaskConfig;
}

const TOOL_OPTIONS: ComponentOptionRules = {
  known: {
    description: true,
    title: true,
    input: true,
    output: true,
    annotations: true,
    icons: true,
    meta: true,
    enabled: true,
    scopes: true,
    task: true,
  } satisfies KeyList<ToolOptions<undefined, undefined>>,
  aliases: {
    inputSchema: "input",
    parameters: "input",
    params: "input",
    args: "input",
    schema: "input",
    outputSchema: "output",
    _meta: "meta",
  },
  wrapIn: "input",
};

/** The value a tool's handler receives. */
export type ToolArgs<I> = I extends undefined ? Record<string, never> : InferSchema<I>;

/**
 * What a tool's handler may return: anything without an output schema; with
 * one, the schema's type, or a ToolResult carrying content and structuredContent.
 * An `inputRequired(...)` result asks the client first (2026-07-28).
 */
export type ToolReturn<O> = O extends undefined
  ? unknown
  : InferSchemaInput<O> | ToolResult | InputRequired;

export type ToolHandler<I, O, L> = (
  args: ToolArgs<I>,
  ctx: Context<L>,
) => ToolReturn<O> | Promise<ToolReturn<O>>;

/** The handle `mcp.tool()` returns: change a registered tool at any time. */
export interface ToolHandle {
  readonly name: string;
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  /** Replaces options and/or the handler; the tool keeps its place in the list. */
  update(changes: ToolUpdate): void;
  remove(): void;
}

export interface ToolUpdate
  extends Omit<ToolOptions<SchemaSpec | undefined, SchemaSpec | undefined>, "enabled"> {
  /** A replacement handler; its argument type follows the new schema, so it is not checked here. */
  handler?: (args: never, ctx: never) => unknown;
}

type AnyHandler = (args: unknown, ctx: Context<unknown>) => unknown;

/**
 * How deep tool arguments may nest. Validators recurse per level and overflow
 * the stack a few hundred levels down (cfworker's at about 280), so deeper
 * arguments are refused before any of them sees the value.
 */
export const MAX_ARGUMENT_DEPTH = 100;

export interface ToolCallSettings {
  readonly maskErrorDetails: boolean;
}

/** A registered tool with everything a request needs computed once. */
export class Tool {
  readonly name: string;
  enabled: boolean;
  readonly options: ToolOptions<SchemaSpec | undefined, SchemaSpec | undefined>;
  readonly handler: AnyHandler;
  readonly #input: CompiledSchema | undefined;
  readonly #output: CompiledOutput | undefined;
  readonly #definitions = new Map<string, ToolDefinition>();
  #paramHeaders: readonly ParamHeader[] | undefined;

  constructor(
    name: string,
    options: ToolOptions<SchemaSpec | undefined, SchemaSpec | undefined>,
    handler: AnyHandler,
  ) {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError("A tool needs a non-empty name");
    if (typeof handler !== "function")
      throw new TypeError(`Tool "${name}": the handler must be a function`);
    if (typeof options !== "object" || options === null)
      throw new TypeError(`Tool "${name}": options must be an object`);
    checkComponentOptions(options, TOOL_OPTIONS, `Tool "${name}"`);
    checkTaskMode(options.task, name);
    this.name = name;
    this.options = options;
    this.handler = handler;
    this.enabled = options.enabled ?? true;
    this.#input = options.input
      ? compileSchema(options.input, "input", `Tool "${name}" input`)
      : undefined;
    if (this.#input && !this.#input.ready) {
      assertObjectSchema(this.#input.jsonSchema, name);
      this.#paramHeaders = extractParamHeaders(this.#input.jsonSchema, name);
    }
    this.#output = options.output ? compileOutput(options.output, name) : undefined;
  }

  /** The registry key. */
  get key(): string {
    return this.name;
  }

  /** Resolves once async schema conversion (valibot) has finished. */
  get ready(): Promise<void> | undefined {
    const pending = [this.#input?.ready, this.#output?.schema.ready].filter(Boolean);
    if (pending.length === 0) return undefined;
    return Promise.all(pending).then(() => {
      if (this.#input) {
        assertObjectSchema(this.#input.jsonSchema, this.name);
        this.#paramHeaders = extractParamHeaders(this.#input.jsonSchema, this.name);
      }
      if (this.#output) this.#output.wrap = this.#output.schema.jsonSchema.type !== "object";
      this.#definitions.clear();
    });
  }

  /** Arguments mirrored into `Mcp-Param-*` headers over 2026-07-28 HTTP (`x-mcp-header`). */
  get paramHeaders(): readonly ParamHeader[] {
    return this.#paramHeaders ?? [];
  }

  /** The definition as `tools/list` shows it to a client of `version`; built once per version. */
  definition(version: ProtocolVersion): ToolDefinition {
    const key = definitionKey(version);
    let definition = this.#definitions.get(key);
    if (!definition) {
      definition = this.#buildDefinition(version);
      this.#definitions.set(key, definition);
    }
    return definition;
  }

  #buildDefinition(version: ProtocolVersion): ToolDefinition {
    const { title, description, annotations, icons, meta } = this.options;
    const definition: ToolDefinition = {
      name: this.name,
      inputSchema: this.#input ? { ...this.#input.jsonSchema } : { type: "object", properties: {} },
    };
    if (description !== undefined) definition.description = description;
    if (title !== undefined && versionAtLeast(version, "2025-06-18")) definition.title = title;
    if (this.#output && versionAtLeast(version, "2025-06-18")) {
      definition.outputSchema = outputJsonSchema(this.#output);
    }
    if (annotations && versionAtLeast(version, "2025-03-26")) definition.annotations = annotations;
    if (icons && versionAtLeast(version, "2025-11-25")) definition.icons = icons;
    if (meta && versionAtLeast(version, "2025-06-18")) definition._meta = meta;
    return definition;
  }

  /** Validates, runs, and converts; errors in the tool's own work become `isError` results. */
  async call(
    args: unknown,
    ctx: Context<unknown>,
    settings: ToolCallSettings,
    logger: Logger,
    trace?: RequestTrace,
  ): Promise<CallToolResult> {
    // Without an input schema the handler's type promises no arguments: give it none.
    let value: unknown = this.#input ? (args ?? {}) : {};
    if (this.#input) {
      if (nestedDeeperThan(value, MAX_ARGUMENT_DEPTH)) {
        return errorResult(
          `Invalid arguments for tool "${this.name}": nested too deeply (more than ${MAX_ARGUMENT_DEPTH} levels)`,
        );
      }
      const input = this.#input;
      const validated = trace?.steps
        ? trace.span(`validate_input ${this.name}`, () => input.validate(value), {
            "gen_ai.tool.name": this.name,
          })
        : input.validate(value);
      // Most schemas validate synchronously: awaiting a plain value would still cost a turn.
      const outcome = validated instanceof Promise ? await validated : validated;
      if (!outcome.ok) {
        return errorResult(
          `Invalid arguments for tool "${this.name}": ${formatIssues(outcome.issues)}`,
        );
      }
      value = outcome.value;
    }
    let returned: unknown;
    try {
      const args = value;
      returned = await (trace?.steps
        ? trace.span(
            `execute_tool ${this.name}`,
            () => this.handler(args, ctx),
            {
              "gen_ai.tool.name": this.name,
              "gen_ai.operation.name": "execute_tool",
            },
            true,
          )
        : this.handler(value, ctx));
    } catch (error) {
      if (error instanceof McpError) throw error;
      // A round of a 2026-07-28 multi round-trip request ends here; the engine answers input_required.
      if (endsRound(error)) throw error;
      if (error instanceof ToolError) return errorResult(error.message);
      if (ctx.signal.aborted && error === ctx.signal.reason) throw error;
      logger.error(`Tool "${this.name}" failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      return errorResult(
        settings.maskErrorDetails
          ? `Error executing tool ${this.name}`
          : `Error executing tool ${this.name}: ${message}`,
      );
    }
    if (returned instanceof InputRequired) throw returned;
    return this.#output
      ? convertWithOutput(this.name, this.#output, returned)
      : convertToolReturn(returned);
  }
}

function definitionKey(version: ProtocolVersion): string {
  if (versionAtLeast(version, "2025-11-25")) return "2025-11-25";
  if (versionAtLeast(version, "2025-06-18")) return "2025-06-18";
  if (versionAtLeast(version, "2025-03-26")) return "2025-03-26";
  return "2024-11-05";
}

function assertObjectSchema(schema: JsonSchema, name: string): void {
  if (schema.type === undefined) (schema as Record<string, unknown>).type = "object";
  else if (schema.type !== "object") {
    throw new TypeError(
      `Tool "${name}": input must describe an object of named arguments, not type ${JSON.stringify(schema.type)}`,
    );
  }
}

function compileOutput(spec: SchemaSpec, name: string): CompiledOutput {
  const schema = compileSchema(spec, "output", `Tool "${name}" output`);
  return { schema, wrap: !schema.ready && schema.jsonSchema.type !== "object" };
}

/** Python FastMCP's wrapping of non-object results: `{ "result": <value> }`. */
function outputJsonSchema(output: CompiledOutput): Record<string, unknown> {
  if (!output.wrap) return { ...output.schema.jsonSchema };
  return {
    type: "object",
    properties: { result: output.schema.jsonSchema },
    required: ["result"],
    "x-fastmcp-wrap-result": true,
  };
}
