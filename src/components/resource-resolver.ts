import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Era } from "../protocol/versions.js";
import { clip } from "../util/echo.js";
import type { ComponentRegistry } from "./registry.js";
import type { Resource } from "./resource.js";
import type { ResourceTemplate } from "./resource-template.js";
import type { MatchedParams } from "./uri-template.js";

export type Resolved =
  | { readonly kind: "resource"; readonly resource: Resource }
  | {
      readonly kind: "template";
      readonly template: ResourceTemplate;
      readonly params: MatchedParams;
    };

/**
 * Finds what serves a URI: a resource with exactly that URI first, then the
 * most specific enabled template that matches (most literal characters, then
 * fewest `{+var}`/`{#var}` expressions, then registration order). The order
 * is worked out once per change of the registry, not per read.
 */
export class ResourceResolver {
  #revision = -1;
  #ordered: readonly ResourceTemplate[] = [];

  constructor(
    private readonly resources: ComponentRegistry<Resource>,
    private readonly templates: ComponentRegistry<ResourceTemplate>,
  ) {}

  resolve(uri: string): Resolved | undefined {
    const resource = this.resources.get(uri);
    if (resource) return { kind: "resource", resource };
    for (const template of this.#orderedTemplates()) {
      const params = template.match(uri);
      if (params) return { kind: "template", template, params };
    }
    return undefined;
  }

  #orderedTemplates(): readonly ResourceTemplate[] {
    if (this.#revision !== this.templates.revision) {
      this.#revision = this.templates.revision;
      this.#ordered = this.templates
        .enabled()
        .map((template, index) => ({ template, index }))
        .sort(
          (a, b) =>
            b.template.template.literalLength - a.template.template.literalLength ||
            a.template.template.reservedExpansions - b.template.template.reservedExpansions ||
            a.index - b.index,
        )
        .map(({ template }) => template);
    }
    return this.#ordered;
  }
}

/**
 * A read of a resource that does not exist: -32002 in the legacy era,
 * -32602 from 2026-07-28 on; both carry the URI in `data`, cut short if
 * long (it is the client's).
 */
export function resourceNotFound(uri: string, era: Era): McpError {
  const shown = clip(uri);
  return new McpError(
    era === "modern" ? ErrorCode.InvalidParams : ErrorCode.ResourceNotFound,
    `Resource not found: ${shown}`,
    { uri: shown },
  );
}
