import type { InputRequired } from "../protocol/input-required.js";
import type { ContentBlock, PromptMessage, Role } from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { type ContentInput, isContentBlock, isContentHelper, toContentBlock } from "./content.js";

/** One message of a prompt; `content` may be a plain string (a text block). */
export interface PromptMessageInput {
  role: Role;
  content: string | ContentInput;
}

/**
 * What a prompt's handler may return. An `inputRequired(...)` asks the
 * client first (2026-07-28).
 */
export type PromptReturn =
  | string
  | PromptMessageInput
  | ContentInput
  | readonly (string | PromptMessageInput | ContentInput)[]
  | InputRequired;

function isMessage(value: unknown): value is PromptMessageInput {
  if (typeof value !== "object" || value === null) return false;
  const { role, content } = value as Record<string, unknown>;
  return (role === "user" || role === "assistant") && content !== undefined;
}

function toBlock(content: unknown, what: string): ContentBlock {
  if (typeof content === "string") return { type: "text", text: content };
  if (isContentHelper(content) || isContentBlock(content)) return toContentBlock(content);
  throw new TypeError(
    `${what}: a message's content must be a string, a content block (text, image, audio, resource, resource_link) or Image/Audio/File`,
  );
}

function toMessage(item: unknown, what: string): PromptMessage {
  if (typeof item === "string") return { role: "user", content: { type: "text", text: item } };
  if (isMessage(item)) return { role: item.role, content: toBlock(item.content, what) };
  if (isContentHelper(item) || isContentBlock(item))
    return { role: "user", content: toContentBlock(item) };
  // Anything else is data for the model, as Python FastMCP does it: its JSON in a user message.
  const json = JSON.stringify(item);
  if (json === undefined) throw new TypeError(`${what} returned a value that is not a message`);
  return { role: "user", content: { type: "text", text: json } };
}

/**
 * Turns what a prompt returned into messages: a string is one user message;
 * a message, content block or list of them becomes the message list (bare
 * strings and blocks are user messages).
 */
export function convertPromptReturn(value: unknown, what: string): PromptMessage[] {
  if (Array.isArray(value)) return value.map((item) => toMessage(item, what));
  if (value === undefined || value === null)
    throw new TypeError(`${what} returned nothing; return a string or a list of messages`);
  return [toMessage(value, what)];
}

/**
 * `resource_link` blocks arrived in 2025-06-18 and audio in 2025-03-26;
 * older clients get a text block naming the link or the audio instead, so
 * every message stays valid in their version.
 */
export function messagesForVersion(
  messages: readonly PromptMessage[],
  version: ProtocolVersion,
): PromptMessage[] {
  if (versionAtLeast(version, "2025-06-18")) return messages as PromptMessage[];
  return messages.map((message) => {
    const { content } = message;
    if (content.type === "resource_link") {
      const label = content.title ?? content.name;
      return { role: message.role, content: { type: "text", text: `${label}: ${content.uri}` } };
    }
    if (content.type === "audio" && !versionAtLeast(version, "2025-03-26")) {
      return {
        role: message.role,
        content: {
          type: "text",
          text: `[audio (${content.mimeType}) not supported by this client]`,
        },
      };
    }
    return message;
  });
}
