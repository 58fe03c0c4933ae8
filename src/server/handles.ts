import { componentHandle } from "../components/handle.js";
import { Prompt, type PromptHandle, type PromptUpdate } from "../components/prompt.js";
import type { ComponentRegistry } from "../components/registry.js";
import {
  type AnyResourceHandler,
  Resource,
  type ResourceHandle,
  type ResourceUpdate,
} from "../components/resource.js";
import { ResourceTemplate } from "../components/resource-template.js";
import { Tool, type ToolHandle, type ToolUpdate } from "../components/tool.js";
import type { Conversions } from "./conversions.js";

/**
 * Handles returned by registration: each looks its component up by key on
 * every call, so it keeps working across updates and fails clearly once the
 * component is removed. An update builds the component anew (schemas are
 * compiled again) with the changes merged over the current options.
 */
export function toolHandle(
  tools: ComponentRegistry<Tool>,
  name: string,
  conversions: Conversions,
): ToolHandle {
  const current = (): Tool => {
    const tool = tools.peek(name);
    if (!tool) throw new Error(`Tool "${name}" has been removed`);
    return tool;
  };
  return {
    name,
    get enabled() {
      return tools.has(name) && current().enabled;
    },
    enable: () => tools.setEnabled(current().name, true),
    disable: () => tools.setEnabled(current().name, false),
    update: (changes: ToolUpdate) => {
      const existing = current();
      const { handler, ...options } = changes;
      const next = new Tool(
        name,
        { ...existing.options, ...options, enabled: existing.enabled },
        (handler as Tool["handler"] | undefined) ?? existing.handler,
      );
      const ready = next.ready;
      tools.replace(next, ready !== undefined);
      if (ready) conversions.trackTool(tools, next, ready);
    },
    remove: () => {
      tools.remove(name);
    },
  };
}

/** A URI with `{...}` expressions is a template; a stray brace is a template error, not a static URI. */
export function isTemplate(uri: string): boolean {
  return typeof uri === "string" && (uri.includes("{") || uri.includes("}"));
}

export function resourceHandle(
  resources: ComponentRegistry<Resource>,
  templates: ComponentRegistry<ResourceTemplate>,
  uri: string,
): ResourceHandle {
  const rebuild = <T extends Resource | ResourceTemplate>(existing: T, changes: ResourceUpdate) => {
    const { handler, ...options } = changes;
    const merged = { ...existing.options, ...options, enabled: existing.enabled };
    const next = (handler as AnyResourceHandler | undefined) ?? existing.handler;
    return (
      existing instanceof Resource
        ? new Resource(uri, merged, next)
        : new ResourceTemplate(uri, merged as ResourceTemplate["options"], next)
    ) as T;
  };
  const base = isTemplate(uri)
    ? componentHandle<ResourceTemplate, ResourceUpdate>(
        templates,
        uri,
        "Resource template",
        rebuild,
        () => {},
      )
    : componentHandle<Resource, ResourceUpdate>(resources, uri, "Resource", rebuild, () => {});
  return Object.defineProperties(base, {
    uri: { value: uri, enumerable: true },
  }) as ResourceHandle;
}

export function promptHandle(
  prompts: ComponentRegistry<Prompt>,
  name: string,
  conversions: Conversions,
): PromptHandle {
  const base = componentHandle(
    prompts,
    name,
    "Prompt",
    (existing, changes: PromptUpdate) => {
      const { handler, ...options } = changes;
      return new Prompt(
        name,
        { ...existing.options, ...options, enabled: existing.enabled } as Prompt["options"],
        (handler as Prompt["handler"] | undefined) ?? existing.handler,
      );
    },
    (prompt) => conversions.track(prompt.ready, prompts),
  );
  return Object.defineProperties(base, {
    name: { value: name, enumerable: true },
  }) as PromptHandle;
}
