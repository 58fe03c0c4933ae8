import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { SchemaIssue } from "./types.js";

export function fromStandardIssues(
  issues: readonly StandardSchemaV1.Issue[],
  prefix: readonly (string | number)[] = [],
): SchemaIssue[] {
  return issues.map((issue) => ({
    path: [
      ...prefix,
      ...(issue.path ?? []).map((segment) =>
        typeof segment === "object"
          ? (segment.key as string | number)
          : (segment as string | number),
      ),
    ],
    message: issue.message,
  }));
}

/** `a.b[2]: Expected number` — names each bad field so a model can correct itself. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .map((issue) => {
      const where = formatPath(issue.path);
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
