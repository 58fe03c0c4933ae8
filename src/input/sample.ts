import type { AskOptions } from "../protocol/input-channel.js";
import { isRecord } from "../protocol/meta.js";
import type {
  CreateMessageResult,
  ModelPreferences,
  SamplingContent,
  SamplingMessage,
  SamplingTool,
} from "../protocol/types.js";
import { InvalidClientResponseError } from "./errors.js";

/** What to ask the client's model: one prompt, or a conversation (strings are user turns). */
export type SamplingInput = string | SamplingMessage | readonly (string | SamplingMessage)[];

export interface SampleOptions extends AskOptions {
  systemPrompt?: string;
  /** Upper bound on the answer's length. Default 512, as in Python FastMCP. */
  maxTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  /** A model name hint, several hints in order of preference, or full preferences. */
  modelPreferences?: ModelPreferences | string | readonly string[];
  /** Deprecated by the spec except "none"; other values need the client's `sampling.context`. */
  includeContext?: "none" | "thisServer" | "allServers";
  metadata?: Record<string, unknown>;
  /** Tools the model may call (needs the client's `sampling.tools`, 2025-11-25 and later). */
  tools?: SamplingTool[];
  toolChoice?: { mode?: "auto" | "required" | "none" };
}

/** The model's answer, plus `text`: its text content joined, for the common case. */
export interface SampleResult extends CreateMessageResult {
  readonly text: string;
}

export const DEFAULT_MAX_TOKENS = 512;

/** Builds `sampling/createMessage` params. Throws TypeError for input no client could take. */
export function samplingParams(
  input: SamplingInput,
  options: SampleOptions,
): Record<string, unknown> {
  const items: readonly (string | SamplingMessage)[] =
    typeof input === "string" || !Array.isArray(input)
      ? [input as string | SamplingMessage]
      : (input as readonly (string | SamplingMessage)[]);
  if (items.length === 0) throw new TypeError("ctx.sample: give at least one message");
  const messages = items.map((item, index) => {
    if (typeof item === "string") return { role: "user", content: { type: "text", text: item } };
    if (!isRecord(item) || (item.role !== "user" && item.role !== "assistant") || !item.content) {
      throw new TypeError(
        `ctx.sample: message ${index} must be a string or { role: "user" | "assistant", content }`,
      );
    }
    return item;
  });
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new TypeError(`ctx.sample: maxTokens must be a positive integer, got ${maxTokens}`);
  }
  const params: Record<string, unknown> = { messages, maxTokens };
  if (options.systemPrompt !== undefined) params.systemPrompt = options.systemPrompt;
  if (options.temperature !== undefined) params.temperature = options.temperature;
  if (options.stopSequences !== undefined) params.stopSequences = options.stopSequences;
  if (options.modelPreferences !== undefined) {
    params.modelPreferences = modelPreferences(options.modelPreferences);
  }
  if (options.includeContext !== undefined) params.includeContext = options.includeContext;
  if (options.metadata !== undefined) params.metadata = options.metadata;
  if (options.tools !== undefined) params.tools = options.tools;
  if (options.toolChoice !== undefined) params.toolChoice = options.toolChoice;
  return params;
}

function modelPreferences(
  preferences: ModelPreferences | string | readonly string[],
): ModelPreferences {
  if (typeof preferences === "string") return { hints: [{ name: preferences }] };
  if (Array.isArray(preferences)) {
    return { hints: (preferences as readonly string[]).map((name) => ({ name })) };
  }
  return preferences as ModelPreferences;
}

/** Reads the client's `CreateMessageResult`. */
export function readSampleResult(response: Record<string, unknown>): SampleResult {
  const { role, content, model } = response;
  const blocks = Array.isArray(content) ? content : [content];
  if (
    (role !== "user" && role !== "assistant") ||
    typeof model !== "string" ||
    blocks.length === 0 ||
    !blocks.every((block) => isRecord(block) && typeof block.type === "string")
  ) {
    throw new InvalidClientResponseError(
      "The client's sampling result is not a CreateMessageResult ({ role, content, model })",
    );
  }
  const text = (blocks as SamplingContent[])
    .filter((block): block is Extract<SamplingContent, { type: "text" }> => block.type === "text")
    .map((block) => block.text)
    .join("");
  return { ...(response as unknown as CreateMessageResult), text };
}
