/**
 * Built-in middleware and hooks per kind.
 *
 * Run it: `npx tsx examples/middleware.ts` (stdio) or
 * `npx tsx examples/middleware.ts http` (Streamable HTTP on 127.0.0.1:8000).
 *
 * - `timing` first, so it measures everything after it;
 * - `logging`: one line per request to the server's logger (stderr);
 * - `rateLimit`: 5 tool calls per second per caller, bursts of 10; over HTTP a
 *   refused call is a 429 with `Retry-After`;
 * - `responseCache`: `forecast` results for a minute, per caller; `roll_dice`
 *   is never cached (it is not named: calls may have side effects);
 * - `responseSizeLimit`: results over 64 KB become a clear error;
 * - `errorMapping`: our `NotFound` becomes JSON-RPC -32002 everywhere;
 * - hooks: `internal_stats` is hidden from callers without the `admin` scope,
 *   and city names are trimmed before `forecast` sees them.
 *
 * Middleware added first runs first (outermost): each sees what the ones
 * before it let through, and the answers of the ones after it.
 */
import { z } from "zod";
import { ErrorCode, FastMCP, McpError } from "../src/index.ts";
import {
  errorMapping,
  logging,
  rateLimit,
  responseCache,
  responseSizeLimit,
  timing,
} from "../src/middleware/index.ts";

class NotFound extends Error {}

const NOTES: Record<string, string> = { welcome: "Hello from the middleware example." };

export const mcp = new FastMCP("middleware-demo");

mcp.tool(
  "forecast",
  { description: "Tomorrow's weather for a city", input: { city: z.string() } },
  ({ city }) => `Sunny in ${city}, computed at ${new Date().toISOString()}`,
);
mcp.tool("roll_dice", { description: "Roll a six-sided die" }, () =>
  String(1 + Math.floor(Math.random() * 6)),
);
mcp.tool("internal_stats", { description: "Server internals (admins only)" }, () =>
  JSON.stringify(process.memoryUsage()),
);
mcp.resource("notes://{name}", { description: "A note by name" }, ({ name }) => {
  const note = NOTES[name];
  if (note === undefined) throw new NotFound(`No note named ${name}`);
  return note;
});

const latencies: number[] = [];
mcp.use(timing(({ durationMs }) => latencies.push(durationMs)));
mcp.use(logging({ logger: mcp.logger }));
mcp.use(rateLimit({ requestsPerSecond: 5, burst: 10, methods: ["tools/call"] }));
// Hooks before the cache, so that the cache keys on the trimmed city.
mcp.use({
  async onListTools({ request }, next) {
    const tools = await next();
    const scopes = (request.auth as { scopes?: readonly string[] } | undefined)?.scopes;
    // No token at all (stdio) sees everything; a token without `admin` does not see internals.
    if (request.auth === undefined || scopes?.includes("admin")) return tools;
    return tools.filter((tool) => tool.name !== "internal_stats");
  },
  async onCallTool(call, next) {
    if (call.name === "forecast" && typeof call.arguments.city === "string")
      return next({ ...call.arguments, city: call.arguments.city.trim() });
    return next();
  },
});
mcp.use(responseCache({ tools: { forecast: { ttlMs: 60_000 } } }));
mcp.use(responseSizeLimit({ maxBytes: 64 * 1024 }));
mcp.use(
  errorMapping((error) =>
    error instanceof NotFound ? new McpError(ErrorCode.ResourceNotFound, error.message) : undefined,
  ),
);

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "http")
    await mcp.run({ transport: "streamable-http", host: "127.0.0.1", port: 8000 });
  else await mcp.run();
}
