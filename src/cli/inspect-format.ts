import { isRecord } from "../protocol/meta.js";
import type { Implementation } from "../protocol/types.js";
import { oneLine, parametersOf, parameterText, typeText } from "./schema-text.js";

/** What `inspect` gathers: exactly the list results, every page. */
export interface Inventory {
  serverInfo: Implementation | undefined;
  protocolVersion: string;
  tools: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
  prompts: unknown[];
}

const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

/**
 * The inventory for a person: one block per component, its name first, then
 * what a caller needs to know (arguments with types and required marks,
 * whether it returns structured output, its annotations). Items come from
 * any server, so every field is checked before it is shown.
 */
export function formatInventory(inventory: Inventory, era: string): string {
  const info = inventory.serverInfo;
  const name = info ? `${text(info.name) || "(unnamed server)"} ${text(info.version)}`.trim() : "";
  const lines = [
    `${name || "(the server sent no serverInfo)"} - protocol ${inventory.protocolVersion} (${era} era)`,
  ];
  if (info && text(info.title)) lines.push(text(info.title));
  section(lines, "Tools", inventory.tools, toolLines);
  section(lines, "Resources", inventory.resources, (item) =>
    entryLines(text(item.uri), item, ["name", "mimeType"]),
  );
  section(lines, "Resource templates", inventory.resourceTemplates, (item) =>
    entryLines(text(item.uriTemplate), item, ["name", "mimeType"]),
  );
  section(lines, "Prompts", inventory.prompts, promptLines);
  return `${lines.join("\n")}\n`;
}

function section(
  lines: string[],
  title: string,
  items: unknown[],
  describe: (item: Record<string, unknown>) => string[],
): void {
  lines.push("");
  if (items.length === 0) {
    lines.push(`${title}: none`);
    return;
  }
  lines.push(`${title} (${items.length})`);
  for (const item of items) lines.push(...describe(isRecord(item) ? item : {}).map(indent));
}

const indent = (line: string) => `  ${line}`;

function text(value: unknown): string {
  return typeof value === "string" ? oneLine(value) : "";
}

/** The first line: the key, its title in parentheses with the other facts named in `extra`. */
function entryLines(key: string, item: Record<string, unknown>, extra: string[]): string[] {
  const title = text(item.title);
  const facts = extra
    .map((field) => text(item[field]))
    .filter((fact) => fact !== "" && fact !== key);
  const parts = [title ? `"${title}"` : "", ...facts].filter((part) => part !== "");
  const lines = [`${key || "(no name)"}${parts.length > 0 ? `  (${parts.join(", ")})` : ""}`];
  const description = text(item.description);
  if (description) lines.push(`  ${description}`);
  return lines;
}

function toolLines(tool: Record<string, unknown>): string[] {
  const annotations = isRecord(tool.annotations) ? tool.annotations : {};
  const titled = tool.title === undefined ? { ...tool, title: annotations.title } : tool;
  const lines = entryLines(text(tool.name), titled, []);
  const schema = tool.inputSchema;
  const parameters = parametersOf(schema);
  if (parameters.length === 0) lines.push("  arguments: none");
  else {
    lines.push("  arguments:");
    for (const parameter of parameters) lines.push(`    ${parameterText(parameter, schema)}`);
  }
  if (tool.outputSchema !== undefined)
    lines.push(`  output schema: ${typeText(tool.outputSchema, tool.outputSchema)}`);
  const hints = HINTS.filter((hint) => typeof annotations[hint] === "boolean").map(
    (hint) => `${hint}=${String(annotations[hint])}`,
  );
  if (hints.length > 0) lines.push(`  annotations: ${hints.join(" ")}`);
  return lines;
}

function promptLines(prompt: Record<string, unknown>): string[] {
  const lines = entryLines(text(prompt.name), prompt, []);
  const args = Array.isArray(prompt.arguments) ? prompt.arguments.filter(isRecord) : [];
  if (args.length === 0) lines.push("  arguments: none");
  else {
    lines.push("  arguments:");
    for (const arg of args) {
      const description = text(arg.description);
      lines.push(
        `    ${text(arg.name)}${arg.required === true ? " (required)" : ""}${description ? ` - ${description}` : ""}`,
      );
    }
  }
  return lines;
}
