/**
 * Error handling: the twin of the guide's `risky_operation`, and the idiomatic alternative.
 *
 * `risky_operation` mirrors the guide: expected failures are returned as JSON
 * text. Note that this is a *successful* tool result (the `isError` inside the
 * JSON is just text); clients and models see `isError: false`.
 *
 * `read_file` is the idiomatic way: throw `ToolError` and the call ends as a
 * result with `isError: true` and your message, never masked.
 *
 * In both, any other exception is rethrown: the framework logs it to stderr and
 * answers with `isError: true` and "Error executing tool <name>: <message>"
 * (just "Error executing tool <name>" with `maskErrorDetails: true`).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { FastMCP, ToolError } from "../src/index.ts";

function errorCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

export const mcp = new FastMCP("MyServer");

mcp.tool(
  "risky_operation",
  { description: "Perform risky file operation.", input: { file_path: z.string() } },
  async ({ file_path }) => {
    try {
      return await readFile(file_path, "utf8");
    } catch (error) {
      switch (errorCode(error)) {
        case "ENOENT":
          // Return business logic error
          return JSON.stringify({
            error: `File not found: ${file_path}`,
            suggestions: ["Check file path", "Verify permissions"],
            isError: true,
          });
        case "EACCES":
        case "EPERM":
          return JSON.stringify({ error: "Permission denied", isError: true });
        default:
          // Let the framework handle unexpected errors (it logs them)
          throw error;
      }
    }
  },
);

mcp.tool(
  "read_file",
  { description: "Read a text file.", input: { file_path: z.string() } },
  async ({ file_path }) => {
    try {
      return await readFile(file_path, "utf8");
    } catch (error) {
      switch (errorCode(error)) {
        case "ENOENT":
          throw new ToolError(`File not found: ${file_path}. Check the path.`);
        case "EACCES":
        case "EPERM":
          throw new ToolError(`Permission denied: ${file_path}`);
        default:
          throw error;
      }
    }
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
