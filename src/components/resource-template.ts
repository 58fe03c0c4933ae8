import type { Context } from "../context.js";
import type { Logger } from "../logger.js";
import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { RequestTrace } from "../protocol/telemetry.js";
import type { ResourceDefinition, ResourceTemplateDefinition } from "../protocol/types.js";
import type { ProtocolVersion } from "../protocol/versions.js";
import { type Completer, checkCompleters, completerFor } from "./completion.js";
import { checkComponentOptions } from "./component-options.js";
import {
  type AnyResourceHandler,
  addMetadata,
  checkHandler,
  checkMetadata,
  checkUri,
  type ListedResource,
  type ReadSettings,
  type ResourceTemplateOptions,
  resourceDefinition,
  runReader,
  TEMPLATE_OPTIONS,
} from "./resource.js";
import type { ConvertedRead } from "./resource-result.js";
import { isPlainObject } from "./tool-result.js";
import { type MatchedParams, UriTemplate } from "./uri-template.js";
import type { UriTemplateVariables } from "./uri-template-expand.js";
import { PerVersion } from "./version-bucket.js";

type AnyTemplateOptions = ResourceTemplateOptions<Record<string, unknown>, unknown>;

/**
 * A registered resource whose URI is an RFC 6570 template: compiled once into
 * a matcher, so `resources/read` finds its parameters without re-parsing.
 */
export class ResourceTemplate {
  readonly key: string;
  readonly template: UriTemplate;
  enabled: boolean;
  readonly options: AnyTemplateOptions;
  readonly handler: AnyResourceHandler;
  readonly #definitions: PerVersion<ResourceTemplateDefinition>;

  constructor(uriTemplate: string, options: AnyTemplateOptions, handler: AnyResourceHandler) {
    checkUri(uriTemplate, "Resource template");
    const what = `Resource template "${uriTemplate}"`;
    checkHandler(handler, what);
    checkMetadata(options, what);
    checkComponentOptions(options, TEMPLATE_OPTIONS, what);
    this.template = new UriTemplate(uriTemplate);
    if (options.list !== undefined && typeof options.list !== "function")
      throw new TypeError(`${what}: list must be a function`);
    checkCompleters(
      options.complete as Readonly<Record<string, unknown>> | undefined,
      this.template.variables,
      what,
    );
    this.key = uriTemplate;
    this.options = options;
    this.handler = handler;
    this.enabled = options.enabled ?? true;
    this.#definitions = new PerVersion((version) => {
      const definition: ResourceTemplateDefinition = {
        uriTemplate,
        name: options.name ?? uriTemplate,
      };
      addMetadata(definition as unknown as Record<string, unknown>, options, version);
      return definition;
    });
  }

  /** The definition as `resources/templates/list` shows it to a client of `version`. */
  definition(version: ProtocolVersion): ResourceTemplateDefinition {
    return this.#definitions.get(version);
  }

  get lists(): boolean {
    return this.options.list !== undefined;
  }

  get hasCompleters(): boolean {
    return this.options.complete !== undefined && Object.keys(this.options.complete).length > 0;
  }

  completer(parameter: string): Completer | undefined {
    return completerFor(this.options.complete, parameter);
  }

  match(uri: string): MatchedParams | undefined {
    return this.template.match(uri);
  }

  read(
    uri: string,
    params: MatchedParams,
    ctx: Context<unknown>,
    settings: ReadSettings,
    logger: Logger,
    trace?: RequestTrace,
  ): Promise<ConvertedRead | undefined> {
    const traced = trace?.steps ? { trace, target: this.key, template: this.key } : undefined;
    const { mimeType } = this.options;
    return runReader(this.handler, params, uri, mimeType, ctx, settings, logger, traced);
  }

  /** The concrete resources the `list` callback names, as `resources/list` shows them. */
  async listResources(
    ctx: Context<unknown>,
    version: ProtocolVersion,
    settings: ReadSettings,
    logger: Logger,
  ): Promise<ResourceDefinition[]> {
    const list = this.options.list;
    if (!list) return [];
    const what = `Resource template "${this.key}"`;
    try {
      const listed = await list(ctx);
      const definitions: ResourceDefinition[] = [];
      for (const entry of listed as Iterable<ListedResource<Record<string, unknown>>>) {
        if (!isPlainObject(entry) || !isPlainObject(entry.params)) {
          throw new TypeError(`${what}: list() must give objects like { params: { ... } }`);
        }
        const uri = this.template.expand(entry.params as UriTemplateVariables);
        const { mimeType, annotations, icons } = this.options;
        definitions.push(
          resourceDefinition(
            uri,
            entry.name ?? uri,
            { mimeType, annotations, icons, ...withoutParams(entry) },
            entry.size,
            version,
          ),
        );
      }
      return definitions;
    } catch (error) {
      if (error instanceof McpError) throw error;
      logger.error(`${what}: list() failed`, error);
      const message = `Error listing the resources of template ${this.key}`;
      throw new McpError(
        ErrorCode.InternalError,
        settings.maskErrorDetails
          ? message
          : `${message}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function withoutParams(
  entry: ListedResource<Record<string, unknown>>,
): Omit<ListedResource<unknown>, "params" | "size"> {
  const { params: _params, size: _size, ...metadata } = entry;
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}
