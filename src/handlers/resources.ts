import type { ResourceResolver } from "../components/resource-resolver.js";
import { resourceNotFound } from "../components/resource-resolver.js";
import { contentsForVersion } from "../components/resource-result.js";
import { grants, viewOf, visibleOf } from "../components/scopes.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import { type InternalScope, traceOf } from "../protocol/engine-scope.js";
import { invalidParams, invalidRequest } from "../protocol/errors.js";
import type { Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import type { ReadResourceResult, ResourceDefinition } from "../protocol/types.js";
import { ListCache } from "./list-cache.js";
import { page } from "./pages.js";

/** `resources/list`, `resources/templates/list`, `resources/read`, and legacy subscriptions. */
export function resourceHandlers(core: ServerCore) {
  const resourcePages = new ListCache();
  const templatePages = new ListCache();

  return {
    async list(scope: RequestScope): Promise<Result> {
      const version = scope.protocolVersion;
      const { cursor } = scope.params;
      const { pageSize } = core.settings;
      const templates = viewOf(core.templates, scope.auth);
      const listing = visibleOf(core.templates.enabled(), templates.visible).filter(
        (template) => template.lists,
      );
      const resources = viewOf(core.resources, scope.auth);
      const definitions = () =>
        visibleOf(core.resources.enabled(), resources.visible).map((r) => r.definition(version));
      if (listing.length === 0) {
        return resourcePages.get(
          String(core.resources.revision),
          version,
          cursor,
          () => page("resources", definitions(), cursor, pageSize),
          resources.key,
          traceOf(scope),
        );
      }
      // Templates with a `list` callback make the list dynamic: built per request.
      const ctx = new Context(scope, core.lifespan);
      const all: ResourceDefinition[] = definitions();
      for (const template of listing) {
        all.push(...(await template.listResources(ctx, version, core.settings, core.logger)));
      }
      return page("resources", all, cursor, pageSize);
    },

    templates(scope: RequestScope): Result {
      const version = scope.protocolVersion;
      const { cursor } = scope.params;
      const view = viewOf(core.templates, scope.auth);
      return templatePages.get(
        String(core.templates.revision),
        version,
        cursor,
        () =>
          page(
            "resourceTemplates",
            visibleOf(core.templates.enabled(), view.visible).map((t) => t.definition(version)),
            cursor,
            core.settings.pageSize,
          ),
        view.key,
        traceOf(scope),
      );
    },

    async read(scope: RequestScope): Promise<Result> {
      const uri = requireUri(scope, "resources/read");
      return (await core.readResource(uri, scope)) as unknown as Result;
    },

    async subscribe(scope: InternalScope): Promise<Result> {
      const uri = requireUri(scope, "resources/subscribe");
      await core.subscriptions.add(requireSession(scope, "resources/subscribe"), uri);
      return {};
    },

    async unsubscribe(scope: InternalScope): Promise<Result> {
      const uri = requireUri(scope, "resources/unsubscribe");
      await core.subscriptions.remove(requireSession(scope, "resources/unsubscribe"), uri);
      return {};
    },
  };
}

function requireUri(scope: RequestScope, method: string): string {
  const { uri } = scope.params;
  if (typeof uri !== "string" || uri.length === 0)
    throw invalidParams(`${method}: "uri" must be a non-empty string`);
  return uri;
}

function requireSession(scope: RequestScope, method: string): string {
  if (!scope.session)
    throw invalidRequest(
      `${method} needs a session (send "initialize" first); without one, nothing could be delivered`,
    );
  return scope.session.id;
}

/** What `core.readResource` does: resolve the URI, read it, and refuse what does not exist. */
export async function readResource(
  core: ServerCore,
  resolver: ResourceResolver,
  uri: string,
  scope: RequestScope,
): Promise<ReadResourceResult> {
  const found = resolver.resolve(uri);
  const scopes =
    found?.kind === "resource" ? found.resource.options.scopes : found?.template.options.scopes;
  if (!found || !grants(scope.auth, scopes)) throw resourceNotFound(uri, scope.era);
  const ctx = new Context(scope, core.lifespan);
  const trace = traceOf(scope);
  const read =
    found.kind === "resource"
      ? await found.resource.read(uri, ctx, core.settings, core.logger, trace)
      : await found.template.read(uri, found.params, ctx, core.settings, core.logger, trace);
  if (!read) throw resourceNotFound(uri, scope.era);
  const result: ReadResourceResult = {
    contents: contentsForVersion(read.contents, scope.protocolVersion),
  };
  if (read.meta) result._meta = read.meta;
  return result;
}
