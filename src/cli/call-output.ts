import { isDeepStrictEqual } from "node:util";
import { isRecord } from "../protocol/meta.js";
import type { CallToolResult } from "../protocol/types.js";

/**
 * A tool's result for a terminal: text as it is, structured content as
 * JSON, and media named by kind, type and size rather than dumped as
 * base64. The result comes from any server, so its blocks are checked.
 */
export function formatResult(result: CallToolResult): string {
  const structured = result.structuredContent;
  const blocks: unknown[] = Array.isArray(result.content) ? result.content : [];
  const parts: string[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    // A text block that repeats the structured content (for clients older
    // than structuredContent) would print the same thing twice.
    if (structured !== undefined && block.type === "text" && repeats(block.text, structured))
      continue;
    parts.push(blockText(block));
  }
  if (structured !== undefined) parts.push(JSON.stringify(structured, null, 2));
  const text = parts.join("\n");
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** The text of an error result, for one message on stderr. */
export function errorText(result: CallToolResult): string {
  const blocks: unknown[] = Array.isArray(result.content) ? result.content : [];
  const text = blocks.filter(isRecord).map(blockText).join("\n").trim();
  return text === "" ? "(the tool gave no message)" : text;
}

function repeats(text: unknown, structured: unknown): boolean {
  if (typeof text !== "string") return false;
  try {
    return isDeepStrictEqual(JSON.parse(text), structured);
  } catch {
    return false;
  }
}

function blockText(block: Record<string, unknown>): string {
  const mime = typeof block.mimeType === "string" ? block.mimeType : "unknown type";
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text : "";
    case "image":
    case "audio":
      return `[${block.type}: ${mime}, ${size(block.data)}]`;
    case "resource_link": {
      const name = typeof block.name === "string" ? ` (${block.name})` : "";
      return `[resource link: ${String(block.uri)}${name}]`;
    }
    case "resource": {
      const resource = isRecord(block.resource) ? block.resource : {};
      const uri = String(resource.uri);
      if (typeof resource.text === "string") return `[resource: ${uri}]\n${resource.text}`;
      const type = typeof resource.mimeType === "string" ? resource.mimeType : "unknown type";
      return `[resource: ${uri}, ${type}, ${size(resource.blob)}]`;
    }
    default:
      return `[${String(block.type)} content]`;
  }
}

/** The size of base64 data, decoded, in words a person reads. */
function size(data: unknown): string {
  if (typeof data !== "string") return "no data";
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  const bytes = Math.max(0, Math.floor((data.length * 3) / 4) - padding);
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
