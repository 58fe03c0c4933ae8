import type { CallToolResult, ContentBlock, Meta } from "../protocol/types.js";
import { type ContentInput, isContentBlock, isContentHelper, toContentBlock } from "./content.js";

/**
 * An error whose message the model should see: the call ends as a tool result
 * with `isError: true` carrying this message, never masked.
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
}

/** Full control over a tool's result: content, structured content, `isError` and `_meta`. */
export class ToolResult {
  readonly content: readonly ContentInput[];
  readonly structuredContent: unknown;
  readonly isError: boolean | undefined;
  readonly meta: Meta | undefined;
  constructor(result: {
    content?: readonly ContentInput[];
    structuredContent?: unknown;
    isError?: boolean;
    _meta?: Meta;
  }) {
    this.content = result.content ?? [];
    this.structuredContent = result.structuredContent;
    this.isError = result.isError;
    this.meta = result._meta;
  }

  toResult(): CallToolResult {
    const result: CallToolResult = { content: this.content.map(toContentBlock) };
    if (this.structuredContent !== undefined) result.structuredContent = this.structuredContent;
    if (this.isError !== undefined) result.isError = this.isError;
    if (this.meta) result._meta = this.meta;
    return result;
  }
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function isContentList(value: readonly unknown[]): value is readonly ContentInput[] {
  return value.length > 0 && value.every((item) => isContentHelper(item) || isContentBlock(item));
}

/** How a returned value reads as text: strings as they are, everything else as JSON. */
function asText(value: unknown): ContentBlock[] {
  if (value === undefined || value === null) return [];
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return [{ type: "text", text }];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Turns what a handler returned into a result (no output schema): strings,
 * numbers and booleans become text; plain objects become `structuredContent`
 * plus their JSON as text; content helpers and raw blocks pass through.
 */
export function convertToolReturn(value: unknown): CallToolResult {
  if (value instanceof ToolResult) return value.toResult();
  if (isContentHelper(value) || isContentBlock(value)) return { content: [toContentBlock(value)] };
  if (Array.isArray(value) && isContentList(value)) return { content: value.map(toContentBlock) };
  if (isPlainObject(value)) return { content: asText(value), structuredContent: value };
  if (typeof value === "bigint") return { content: [{ type: "text", text: value.toString() }] };
  return { content: asText(value) };
}

/** A result whose structured part has already been validated against the tool's output schema. */
export function structuredResult(raw: unknown, structured: unknown): CallToolResult {
  return { content: asText(raw), structuredContent: structured };
}
