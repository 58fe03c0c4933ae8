/**
 * Dynamic resources with URI templates: the twin of the guide's
 * `@mcp.resource("file://documents/{doc_id}")` and
 * `@mcp.resource("data://{category}/{item_id}")`.
 *
 * The parameters are typed from the URI string itself: the handler of
 * `"data://{category}/{item_id}"` receives `{ category: string; item_id: string }`.
 * Returning `undefined` means "no such resource": the client gets the
 * protocol's "Resource not found" error, never empty contents.
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

const documents = new Map([
  ["readme", "# Read me\nStart here."],
  ["changelog", "## 1.0.0\nFirst release."],
]);

function loadDocument(docId: string): string | undefined {
  return documents.get(docId);
}

mcp.resource(
  "file://documents/{doc_id}",
  {
    description: "Read document by ID.",
    mimeType: "text/markdown",
    // Optional: the concrete documents, so they appear in resources/list.
    list: () => [...documents.keys()].map((doc_id) => ({ params: { doc_id }, name: doc_id })),
  },
  ({ doc_id }) => loadDocument(doc_id),
);

// Multiple parameters
mcp.resource(
  "data://{category}/{item_id}",
  { description: "Get data by category and item." },
  ({ category, item_id }) => `Data for ${category}/${item_id}`,
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
