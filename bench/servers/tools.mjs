// The tools' schemas, in zod 4 (every framework here takes zod).
import { z } from "zod";
import { extraToolNames } from "./common.mjs";

export const addInput = { a: z.number(), b: z.number() };
export const addOutput = { sum: z.number() };

/** The fifty extra tools: each a different name, the same modest shape. */
export const extraTools = extraToolNames.map(({ name, description }) => ({
  name,
  description,
  input: { text: z.string().describe("The text to echo"), times: z.number().int().optional() },
  output: { echoed: z.string() },
  run: ({ text, times }) => ({ echoed: text.repeat(times ?? 1) }),
}));
