/**
 * Optional parameters: the twin of the guide's `search(query, limit=10, include_metadata=False)`.
 *
 * Python defaults become `.default(...)`, and the docstring's "Args:" lines
 * become `.describe(...)` on each argument. Arguments with a default are not
 * in `required`, and the handler always receives them filled in.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";

interface Document {
  id: string;
  title: string;
  text: string;
  metadata: { author: string; updated: string };
}

/** A small local corpus, so the example is deterministic and needs no search service. */
const DOCUMENTS: readonly Document[] = [
  {
    id: "doc-1",
    title: "Getting started",
    text: "Install the package and register your first tool.",
    metadata: { author: "ada", updated: "2025-01-10" },
  },
  {
    id: "doc-2",
    title: "Tools",
    text: "A tool has a name, an input schema and a handler.",
    metadata: { author: "grace", updated: "2025-02-03" },
  },
  {
    id: "doc-3",
    title: "Context",
    text: "Handlers log and report progress through the context.",
    metadata: { author: "ada", updated: "2025-03-21" },
  },
  {
    id: "doc-4",
    title: "Lifespan",
    text: "Open a database when the server starts and close it when it stops.",
    metadata: { author: "linus", updated: "2025-04-02" },
  },
];

/** Case-insensitive substring match on title and text, in corpus order. */
export function performSearch(query: string, limit: number): Document[] {
  const needle = query.toLowerCase();
  return DOCUMENTS.filter(
    (doc) => doc.title.toLowerCase().includes(needle) || doc.text.toLowerCase().includes(needle),
  ).slice(0, limit);
}

export const mcp = new FastMCP("MyServer");

mcp.tool(
  "search",
  {
    description: "Search documents.",
    input: {
      query: z.string().describe("Search query text"),
      limit: z
        .number()
        .int()
        .min(1)
        .default(10)
        .describe("Maximum results to return (default: 10)"),
      include_metadata: z
        .boolean()
        .default(false)
        .describe("Include document metadata (default: False)"),
    },
  },
  ({ query, limit, include_metadata }) => {
    const results = performSearch(query, limit).map(({ metadata, ...doc }) =>
      include_metadata ? { ...doc, metadata } : doc,
    );
    return JSON.stringify(results);
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
