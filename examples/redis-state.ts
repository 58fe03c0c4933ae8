/**
 * Several processes, one MCP server: every store in Redis (`fastmcp-ts/redis`),
 * so any request of a legacy session may land on any process behind a load
 * balancer without stickiness: its session, subscriptions, stored SSE events,
 * notifications and the answers to `ctx.elicit` follow it. Needs a Redis (or
 * Valkey) and the client: `npm install @redis/client`.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=8001 npx tsx examples/redis-state.ts
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=8002 npx tsx examples/redis-state.ts
 *
 * The same secret on every process lets 2026-07-28 clients (which keep no
 * session) continue multi-round-trip asks anywhere too.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";
import { type RedisState, redisState } from "../src/redis/index.ts";

export function createServer(url: string): { mcp: FastMCP; state: RedisState } {
  const state = redisState({ url, prefix: "notes:" });
  const mcp = new FastMCP("Notes", {
    ...state,
    requestStateSecret: process.env.FASTMCP_REQUEST_STATE_SECRET ?? "change me: 16 bytes at least",
  });

  mcp.tool("visit", {}, (_args, ctx) => {
    // Per-session state is stored in Redis after the call, so the next process sees it.
    const state = ctx.session?.state ?? {};
    state.visits = Number(state.visits ?? 0) + 1;
    return `visit ${state.visits} (process ${process.pid})`;
  });

  mcp.tool("rename", {}, async (_args, ctx) => {
    // The client's answer may reach another process; the bus brings it back here.
    const answer = await ctx.elicit("A new name?", { name: z.string() });
    return answer.action === "accept" ? `renamed to ${answer.content.name}` : "kept";
  });

  return { mcp, state };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mcp, state } = createServer(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  await mcp.run({ transport: "streamable-http", port: Number(process.env.PORT ?? 8000) });
  // While Redis is unreachable its client keeps a reconnect timer: close, so the process can exit.
  await state.close();
}
