import type { StandardSchemaV1 } from "@standard-schema/spec";
import { clip } from "../util/echo.js";
import type { SchemaIssue } from "./types.js";

/**
 * Issues come from validators that may quote the value (valibot repeats a
 * string it refused whole) and name client keys in paths, and a value can
 * fail a million ways: what an error says of them is bounded.
 */
const SHOWN_ISSUES = 10;
const ISSUE_MESSAGE_LIMIT = 300;

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
  const shown = boundIssues(issues).map((issue) => {
    const where = clip(formatPath(issue.path));
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  if (issues.length > SHOWN_ISSUES) shown.push(`and ${issues.length - SHOWN_ISSUES} more`);
  return shown.join("; ");
}

/** The first issues, messages and path keys cut short: what an error may carry in `data`. */
export function boundIssues(issues: readonly SchemaIssue[]): SchemaIssue[] {
  return issues.slice(0, SHOWN_ISSUES).map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === "string" ? clip(segment) : segment)),
    message: clip(issue.message, ISSUE_MESSAGE_LIMIT),
  }));
}

function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
