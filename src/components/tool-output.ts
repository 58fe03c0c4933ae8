import type { CallToolResult } from "../protocol/types.js";
import type { CompiledSchema } from "../schema/compile.js";
import { formatIssues } from "../schema/issues.js";
import type { ValidationOutcome } from "../schema/types.js";
import { isContentBlock, isContentHelper, toContentBlock } from "./content.js";
import {
  errorResult,
  isContentList,
  isPlainObject,
  structuredResult,
  ToolResult,
} from "./tool-result.js";

export interface CompiledOutput {
  schema: CompiledSchema;
  /** True when the schema is not an object: results travel as `{ result: value }`. */
  wrap: boolean;
}

/**
 * A tool with an output schema must send `structuredContent` that fits it
 * (official clients refuse a result without it), so every success is validated
 * and content alone is a tool error saying how to return both.
 */
export function convertWithOutput(
  tool: string,
  output: CompiledOutput,
  returned: unknown,
): CallToolResult | Promise<CallToolResult> {
  if (returned instanceof ToolResult) return checkToolResult(tool, output, returned);
  const content = describeContent(returned);
  if (content) {
    return errorResult(
      `Tool "${tool}" has an output schema, so it must return structured data, but it returned ${content}; return a value of the schema's type, or a ToolResult with both content and structuredContent`,
    );
  }
  // Synchronous schemas (most) answer without a promise on every call.
  const validated = output.schema.validate(returned);
  return validated instanceof Promise
    ? validated.then((outcome) => validatedResult(tool, output, returned, outcome))
    : validatedResult(tool, output, returned, validated);
}

function validatedResult(
  tool: string,
  output: CompiledOutput,
  returned: unknown,
  outcome: ValidationOutcome,
): CallToolResult {
  if (!outcome.ok) return mismatch(tool, outcome.issues);
  return structuredResult(returned, output.wrap ? { result: outcome.value } : outcome.value);
}

async function checkToolResult(
  tool: string,
  output: CompiledOutput,
  returned: ToolResult,
): Promise<CallToolResult> {
  const result = returned.toResult();
  if (returned.isError) return result; // clients expect no structured data on errors
  let structured = returned.structuredContent;
  if (structured === undefined) {
    return errorResult(
      `Tool "${tool}" has an output schema, so its ToolResult needs structuredContent`,
    );
  }
  if (output.wrap) {
    if (!isPlainObject(structured) || !("result" in structured)) {
      return errorResult(
        `Tool "${tool}" has a non-object output schema, so its ToolResult's structuredContent must be { result: <value> }`,
      );
    }
    structured = structured.result;
  }
  const outcome = await output.schema.validate(structured);
  if (!outcome.ok) return mismatch(tool, outcome.issues);
  result.structuredContent = output.wrap ? { result: outcome.value } : outcome.value;
  return result;
}

function mismatch(tool: string, issues: Parameters<typeof formatIssues>[0]): CallToolResult {
  return errorResult(
    `Tool "${tool}" returned a result that does not match its output schema: ${formatIssues(issues)}`,
  );
}

/** How a content-only return reads in an error, or undefined for data. */
function describeContent(value: unknown): string | undefined {
  if (isContentHelper(value) || isContentBlock(value)) {
    const type = toContentBlock(value).type;
    return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type} content block`;
  }
  if (Array.isArray(value) && isContentList(value)) return "a list of content blocks";
  return undefined;
}
