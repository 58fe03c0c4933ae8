import type { Context } from "../context.js";
import type { Logger } from "../logger.js";
import { McpError } from "../protocol/errors.js";
import { InputRequired } from "../protocol/input-required.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import { endsRound } from "../protocol/mrtr.js";
import type { RequestTrace } from "../protocol/telemetry.js";
import type { Annotations, Icon, Meta, ResourceDefinition } from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { clip } from "../util/echo.js";
import type { KeyList } from "../util/known-keys.js";
import type { Completers } from "./completion.js";
import { type ComponentOptionRules, checkComponentOptions } from "./component-options.js";
import { type ConvertedRead, convertResourceReturn } from "./resource-result.js";
import type { IsStaticUri, UriTemplateParams } from "./uri-template-params.js";
import { PerVersion } from "./version-bucket.js";

/** What a client sees about a resource (or template) besides its URI. */
export interface ResourceMetadata {
  /** Default: the URI (or URI template) itself. */
  name?: string;
  /** A human-readable name (sent from 2025-06-18). */
  title?: string;
  description?: string;
  /** The contents' MIME type; also the default for what the handler returns. */
  mimeType?: string;
  /** `audience`, `priority` (0 to 1) and `lastModified` (ISO 8601; sent from 2025-06-18). */
  annotations?: Annotations;
  /** Sent from 2025-11-25. */
  icons?: Icon[];
  /** `_meta` on the definition (sent from 2025-06-18). */
  meta?: Meta;
}

/** Options of a resource with a fixed URI. */
export interface ResourceOptions extends ResourceMetadata {
  /** Size in bytes, if known. */
  size?: number;
  /**
   * OAuth scopes a caller's token must grant to see and use it (HTTP with a
   * token verifier): it is left out of lists for other callers, and a call
   * gets 403 naming the scopes (the step-up challenge).
   */
  scopes?: readonly string[];
  /** Registered but hidden and unreadable until enabled. Default true. */
  enabled?: boolean;
}

/** One concrete resource a template's `list` callback names: its parameters and optional metadata. */
export interface ListedResource<P> extends ResourceMetadata {
  /** Expanded into the template to give the resource's URI. */
  params: P;
  size?: number;
}

/** Options of a resource whose URI is an RFC 6570 template. */
export interface ResourceTemplateOptions<P, L = unknown> extends ResourceMetadata {
  /**
   * OAuth scopes a caller's token must grant to see and use it (HTTP with a
   * token verifier): it is left out of lists for other callers, and a call
   * gets 403 naming the scopes (the step-up challenge).
   */
  scopes?: readonly string[];
  /** Registered but hidden and unreadable until enabled. Default true. */
  enabled?: boolean;
  /**
   * The template's concrete resources, shown in `resources/list` (called on
   * every listing, so it may change over time).
   */
  list?: (ctx: Context<L>) => Iterable<ListedResource<P>> | Promise<Iterable<ListedResource<P>>>;
  /** Completers for the template's parameters (`completion/complete`). */
  complete?: Completers<keyof P & string, L>;
}

/** The options `mcp.resource(uri, ...)` accepts: template options when the URI has `{...}` expressions. */
const METADATA_KEYS = {
  name: true,
  title: true,
  description: true,
  mimeType: true,
  annotations: true,
  icons: true,
  meta: true,
} satisfies KeyList<ResourceMetadata>;

const METADATA_ALIASES = { mime_type: "mimeType", mime: "mimeType", _meta: "meta" };

const RESOURCE_OPTIONS: ComponentOptionRules = {
  known: {
    ...METADATA_KEYS,
    size: true,
    enabled: true,
    scopes: true,
  } satisfies KeyList<ResourceOptions>,
  aliases: METADATA_ALIASES,
};

export const TEMPLATE_OPTIONS: ComponentOptionRules = {
  known: {
    ...METADATA_KEYS,
    enabled: true,
    list: true,
    complete: true,
    scopes: true,
  } satisfies KeyList<ResourceTemplateOptions<unknown>>,
  aliases: METADATA_ALIASES,
};

export type ResourceOptionsFor<U extends string, L> = string extends U
  ? ResourceOptions & ResourceTemplateOptions<UriTemplateParams<U>, L>
  : IsStaticUri<U> extends true
    ? ResourceOptions
    : ResourceTemplateOptions<UriTemplateParams<U>, L>;

/**
 * Reads a resource. Returns a string (text), bytes (a base64 blob), a plain
 * object or array (JSON), a `ResourceResult`, or `undefined` when the
 * resource does not exist. An `inputRequired(...)` asks the client first
 * (2026-07-28).
 */
export type ResourceHandler<U extends string, L> = (
  params: UriTemplateParams<U>,
  ctx: Context<L>,
) => unknown;

/** The handle `mcp.resource()` returns: change a registered resource or template at any time. */
export interface ResourceHandle {
  /** The URI, or the URI template. */
  readonly uri: string;
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
  /** Replaces options and/or the handler; it keeps its place in the list. */
  update(changes: ResourceUpdate): void;
  remove(): void;
}

export interface ResourceUpdate
  extends Omit<ResourceOptions & ResourceTemplateOptions<never>, "enabled" | "list" | "complete"> {
  list?: (ctx: never) => unknown;
  complete?: Readonly<Record<string, (value: string, context: never, ctx: never) => unknown>>;
  /** A replacement handler. */
  handler?: (params: never, ctx: never) => unknown;
}

export type AnyResourceHandler = (params: unknown, ctx: Context<unknown>) => unknown;

export interface ReadSettings {
  readonly maskErrorDetails: boolean;
}

/** A registered resource with a fixed URI; its definitions are built once per version. */
export class Resource {
  readonly key: string;
  readonly uri: string;
  enabled: boolean;
  readonly options: ResourceOptions;
  readonly handler: AnyResourceHandler;
  readonly #definitions: PerVersion<ResourceDefinition>;

  constructor(uri: string, options: ResourceOptions, handler: AnyResourceHandler) {
    checkUri(uri, "Resource");
    checkHandler(handler, `Resource "${uri}"`);
    checkMetadata(options, `Resource "${uri}"`);
    checkComponentOptions(options, RESOURCE_OPTIONS, `Resource "${uri}"`);
    if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
      throw new TypeError(`Resource "${uri}": size must be a non-negative integer`);
    }
    this.key = uri;
    this.uri = uri;
    this.options = options;
    this.handler = handler;
    this.enabled = options.enabled ?? true;
    this.#definitions = new PerVersion((version) =>
      resourceDefinition(uri, options.name ?? uri, options, options.size, version),
    );
  }

  /** The definition as `resources/list` shows it to a client of `version`. */
  definition(version: ProtocolVersion): ResourceDefinition {
    return this.#definitions.get(version);
  }

  read(
    uri: string,
    ctx: Context<unknown>,
    settings: ReadSettings,
    logger: Logger,
    trace?: RequestTrace,
  ): Promise<ConvertedRead | undefined> {
    const traced = trace?.steps ? { trace, target: this.uri } : undefined;
    return runReader(this.handler, {}, uri, this.options.mimeType, ctx, settings, logger, traced);
  }
}

/**
 * A read the request's span records: the reader's span is named by the
 * resource's URI or the template's (the server's own, so few), never by a
 * URI the client filled in.
 */
export interface TracedRead {
  readonly trace: RequestTrace;
  readonly target: string;
  /** The template, when a template serves the read. */
  readonly template?: string;
}

function readAttributes(uri: string, traced: TracedRead): Record<string, string> {
  const attributes: Record<string, string> = { "mcp.resource.uri": uri };
  if (traced.template !== undefined) attributes["fastmcp.resource.template"] = traced.template;
  return attributes;
}

/**
 * Calls a resource handler and converts its result; its failures become
 * -32603 errors. An `InputRequired` (returned or thrown) and an unanswered
 * ask end the round instead: they go to the engine as they are.
 */
export async function runReader(
  handler: AnyResourceHandler,
  params: unknown,
  uri: string,
  mimeType: string | undefined,
  ctx: Context<unknown>,
  settings: ReadSettings,
  logger: Logger,
  traced?: TracedRead,
): Promise<ConvertedRead | undefined> {
  try {
    const returned = await (traced
      ? traced.trace.span(
          `read_resource ${traced.target}`,
          () => handler(params, ctx),
          readAttributes(uri, traced),
          true,
        )
      : handler(params, ctx));
    // Returned or thrown, it ends the round: the engine answers input_required.
    if (returned instanceof InputRequired) throw returned;
    // A template's URI is the client's: messages repeat only its beginning.
    return convertResourceReturn(returned, uri, mimeType, `Resource "${clip(uri)}"`);
  } catch (error) {
    if (error instanceof McpError || endsRound(error)) throw error;
    if (ctx.signal.aborted && error === ctx.signal.reason) throw error;
    const shown = clip(uri);
    logger.error(`Reading resource "${shown}" failed`, error);
    const message = error instanceof Error ? error.message : String(error);
    throw new McpError(
      ErrorCode.InternalError,
      settings.maskErrorDetails
        ? `Error reading resource ${shown}`
        : `Error reading resource ${shown}: ${message}`,
      { uri: shown },
      { cause: error },
    );
  }
}

/** Builds what `resources/list` shows, with each field only where its version defines it. */
export function resourceDefinition(
  uri: string,
  name: string,
  metadata: ResourceMetadata,
  size: number | undefined,
  version: ProtocolVersion,
): ResourceDefinition {
  const definition: ResourceDefinition = { uri, name };
  addMetadata(definition as unknown as Record<string, unknown>, metadata, version);
  if (size !== undefined) definition.size = size;
  return definition;
}

export function addMetadata(
  target: Record<string, unknown>,
  metadata: ResourceMetadata,
  version: ProtocolVersion,
): void {
  const { title, description, mimeType, annotations, icons, meta } = metadata;
  if (title !== undefined && versionAtLeast(version, "2025-06-18")) target.title = title;
  if (description !== undefined) target.description = description;
  if (mimeType !== undefined) target.mimeType = mimeType;
  const shown = annotations && annotationsFor(annotations, version);
  if (shown) target.annotations = shown;
  if (icons !== undefined && versionAtLeast(version, "2025-11-25")) target.icons = icons;
  if (meta !== undefined && versionAtLeast(version, "2025-06-18")) target._meta = meta;
}

/** `lastModified` arrived in 2025-06-18. */
function annotationsFor(
  annotations: Annotations,
  version: ProtocolVersion,
): Annotations | undefined {
  if (versionAtLeast(version, "2025-06-18") || annotations.lastModified === undefined)
    return annotations;
  const { lastModified: _dropped, ...rest } = annotations;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

const SCHEME = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\{)/;

export function checkUri(uri: unknown, kind: string): asserts uri is string {
  if (typeof uri !== "string" || uri.length === 0)
    throw new TypeError(`${kind} URI must be a non-empty string`);
  if (!SCHEME.test(uri))
    throw new TypeError(
      `${kind} URI "${uri}" needs a scheme, like "config://settings" or "file:///path"`,
    );
}

export function checkHandler(handler: unknown, what: string): void {
  if (typeof handler !== "function") throw new TypeError(`${what}: the handler must be a function`);
}

export function checkMetadata(metadata: ResourceMetadata, what: string): void {
  if (typeof metadata !== "object" || metadata === null)
    throw new TypeError(`${what}: options must be an object`);
  if (metadata.name !== undefined && (typeof metadata.name !== "string" || metadata.name === ""))
    throw new TypeError(`${what}: name must be a non-empty string`);
  const priority = metadata.annotations?.priority;
  if (priority !== undefined && !(typeof priority === "number" && priority >= 0 && priority <= 1))
    throw new TypeError(`${what}: annotations.priority must be a number from 0 to 1`);
  const audience = metadata.annotations?.audience;
  if (
    audience !== undefined &&
    !(Array.isArray(audience) && audience.every((role) => role === "user" || role === "assistant"))
  )
    throw new TypeError(`${what}: annotations.audience must list "user" and/or "assistant"`);
}
