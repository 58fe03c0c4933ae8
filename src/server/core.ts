import type { Prompt } from "../components/prompt.js";
import { ComponentRegistry } from "../components/registry.js";
import type { Resource } from "../components/resource.js";
import { ResourceResolver } from "../components/resource-resolver.js";
import type { ResourceTemplate } from "../components/resource-template.js";
import type { Tool } from "../components/tool.js";
import type { ServerCore } from "../core.js";
import { hasCompleters } from "../handlers/completion.js";
import { readResource } from "../handlers/resources.js";
import type { Logger } from "../logger.js";
import type { ServerOptions } from "../options.js";
import type { Implementation } from "../protocol/types.js";
import { devHook } from "../serving/cli-hook.js";
import { MemoryBus } from "../state/bus.js";
import { MemorySessionStore } from "../state/session.js";
import { forgetSubscriptionsOnDelete, MemorySubscriptionStore } from "../state/subscriptions.js";
import { MemoryTaskStore } from "../state/tasks.js";
import { checkTelemetry } from "./check-options.js";
import { resolveSettings } from "./settings.js";
import { traceStores } from "./trace-stores.js";

/** The core as the server holds it: the lifespan's value arrives at start, `run()` may swap the logger. */
export type MutableCore = ServerCore & { lifespan: unknown; logger: Logger };

export type ListKind = "tools" | "resources" | "prompts";

/**
 * Builds what request handlers need of a server: its identity, settings,
 * registries (each calls `onListChanged` on a change) and stores, with the
 * in-memory defaults for whatever the options leave out.
 */
export function buildCore(
  name: string,
  options: ServerOptions,
  logger: Logger,
  onListChanged: (kind: ListKind) => void,
): MutableCore {
  const serverInfo: Implementation = { name, version: options.version ?? "1.0.0" };
  if (options.title !== undefined) serverInfo.title = options.title;
  if (options.description !== undefined) serverInfo.description = options.description;
  if (options.websiteUrl !== undefined) serverInfo.websiteUrl = options.websiteUrl;
  if (options.icons !== undefined) serverInfo.icons = options.icons;
  const tools = new ComponentRegistry<Tool>("Tool", () => onListChanged("tools"));
  const resources = new ComponentRegistry<Resource>("Resource", () => onListChanged("resources"));
  const templates = new ComponentRegistry<ResourceTemplate>("Resource template", () =>
    onListChanged("resources"),
  );
  const prompts = new ComponentRegistry<Prompt>("Prompt", () => onListChanged("prompts"));
  const resolver = new ResourceResolver(resources, templates);
  // Under `fastmcp-ts dev`, stores that outlive a reload (serving/cli-hook.ts).
  const dev = devHook();
  const subscriptions =
    options.subscriptionStore ?? dev?.subscriptionStore ?? new MemorySubscriptionStore();
  const core: MutableCore = {
    serverInfo,
    instructions: options.instructions,
    settings: resolveSettings(options),
    tools,
    resources,
    templates,
    prompts,
    sessions: forgetSubscriptionsOnDelete(
      options.sessionStore ?? dev?.sessionStore ?? new MemorySessionStore(),
      subscriptions,
      (message, error) => core.logger.error(message, error),
    ),
    subscriptions,
    bus: options.bus ?? dev?.bus ?? new MemoryBus(),
    taskStore: options.taskStore ?? new MemoryTaskStore(),
    logger,
    lifespan: undefined,
    // Every process serving this server shares its topics on a shared bus: the name is the key.
    busPrefix: name,
    telemetry: checkTelemetry(options.telemetry),
    // Tools, resources and prompts are always declared (as Python FastMCP does): clients
    // list them unconditionally, and a component added later can still be announced.
    capabilities() {
      const capabilities: Record<string, unknown> = {
        logging: {},
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
      };
      if (hasCompleters(core)) capabilities.completions = {};
      return capabilities;
    },
    readResource: (uri, scope) => readResource(core, resolver, uri, scope),
    scopesFor(method, target) {
      switch (method) {
        case "tools/call":
          return tools.get(target)?.options.scopes;
        case "prompts/get":
          return prompts.get(target)?.options.scopes;
        case "resources/read": {
          const found = resolver.resolve(target);
          return found?.kind === "resource"
            ? found.resource.options.scopes
            : found?.template.options.scopes;
        }
        default:
          return undefined;
      }
    },
  };
  traceStores(core.telemetry, options);
  return core;
}
