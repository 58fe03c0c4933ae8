/**
 * The explicit form of a 2026-07-28 multi round-trip request.
 *
 * Most handlers never need this: `ctx.elicit` works in both eras and keeps
 * its own state between rounds. For full control, return `inputRequired()`
 * with the requests you want fulfilled and any `state` to carry (the server
 * seals it into `requestState`). The retry brings the answers in
 * `ctx.inputResponses` and your state in `ctx.inputState`. Only 2026-07-28
 * clients can carry it.
 */
import { z } from "zod";
import { FastMCP, inputRequired } from "../src/index.ts";

export const mcp = new FastMCP("Deleter");

mcp.tool(
  "delete_project",
  { description: "Delete a project, after confirmation.", input: { project: z.string() } },
  async ({ project }, ctx) => {
    const confirm = ctx.inputResponses?.confirm as
      | { action: string; content?: { really?: boolean } }
      | undefined;
    if (!confirm) {
      return inputRequired({
        inputRequests: {
          confirm: {
            method: "elicitation/create",
            params: {
              mode: "form",
              message: `Delete ${project} for good?`,
              requestedSchema: {
                type: "object",
                properties: { really: { type: "boolean", title: "Yes, delete it" } },
                required: ["really"],
              },
            },
          },
        },
        state: { askedAt: new Date().toISOString() },
      });
    }
    const { askedAt } = ctx.inputState as { askedAt: string };
    return confirm.action === "accept" && confirm.content?.really === true
      ? `Deleted ${project} (confirmed; asked at ${askedAt})`
      : `Kept ${project}`;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
