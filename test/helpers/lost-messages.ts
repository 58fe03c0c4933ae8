import { z } from "zod";
import { FastMCP, type FastMCPOptions, type Logger } from "../../src/index.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The server both lost-message tests run (in memory and with Redis): short
 * leases, a tool that holds until its signal aborts (reporting the reason to
 * `aborted`), and one that asks the client.
 */
export function lostMessagesServer(
  state: FastMCPOptions,
  aborted: (reason: unknown) => void,
): FastMCP {
  const mcp = new FastMCP("Lost", {
    ...state,
    logger: quiet,
    tasks: { leaseMs: 300, pollIntervalMs: 20 },
  });
  mcp.tool("hold", { task: "required" }, async (_args, ctx) => {
    await ctx.reportProgress(0, 1, "holding");
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    aborted(ctx.signal.reason);
    return "let go";
  });
  mcp.tool("confirm", { task: "required" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Proceed?", { ok: z.boolean() });
    return answer.action === "accept" ? `ok: ${answer.content.ok}` : answer.action;
  });
  return mcp;
}
