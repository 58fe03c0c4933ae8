/**
 * Completions: argument suggestions as the user types, for prompt arguments
 * and resource template parameters (`completion/complete`).
 *
 * Each completer receives the partial value and the arguments already given
 * (`context.arguments`), and returns the suggestions (at most 100 are sent,
 * with `total` and `hasMore`). The `completions` capability is advertised
 * because completers exist.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

const frameworks: Record<string, string[]> = {
  python: ["django", "fastapi", "flask"],
  typescript: ["express", "hono", "next"],
};

mcp.prompt(
  "code_review",
  {
    description: "Review code written with a framework.",
    args: { language: z.string(), framework: z.string() },
    complete: {
      language: (value) => Object.keys(frameworks).filter((name) => name.startsWith(value)),
      // Uses the language already chosen to narrow the frameworks.
      framework: (value, { arguments: given }) =>
        (given.language
          ? (frameworks[given.language] ?? [])
          : Object.values(frameworks).flat()
        ).filter((name) => name.startsWith(value)),
    },
  },
  ({ language, framework }) => `Review this ${language} code that uses ${framework}.`,
);

const repositories: Record<string, string[]> = {
  modelcontextprotocol: ["modelcontextprotocol", "typescript-sdk", "python-sdk"],
  honojs: ["hono", "middleware"],
};

mcp.resource(
  "github://repos/{owner}/{repo}",
  {
    description: "A repository's README.",
    complete: {
      owner: (value) => Object.keys(repositories).filter((owner) => owner.startsWith(value)),
      repo: (value, { arguments: given }) =>
        (repositories[given.owner ?? ""] ?? []).filter((repo) => repo.startsWith(value)),
    },
  },
  ({ owner, repo }) => `# ${owner}/${repo}`,
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
