/**
 * Rate limits per client behind a reverse proxy of your own.
 *
 * Run it: `npx tsx examples/rate-limit-proxy.ts` (Streamable HTTP on
 * 127.0.0.1:8000), with a proxy in front that appends the address it
 * received each request from to `X-Forwarded-For` (nginx:
 * `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`).
 *
 * By default `rateLimit()` keys a caller with neither token nor session by
 * the peer's address, which behind a proxy is the proxy's: every client
 * would share one bucket. `forwardedFor(1)` takes instead the entry that
 * one proxy appended, counted from the right; what a client wrote further
 * left is ignored. Never use it without the proxy: a client reaching the
 * server directly could then name any address it likes.
 */
import { z } from "zod";
import { FastMCP } from "../src/index.ts";
import { forwardedFor, rateLimit, subjectOf } from "../src/middleware/index.ts";

export const mcp = new FastMCP("rate-limited");

mcp.tool(
  "summarize",
  {
    description: "A costly summary (three at once, then one every 20 s)",
    input: { text: z.string() },
  },
  ({ text }) => `${text.slice(0, 40)}…`,
);

const clientAddress = forwardedFor(1);
mcp.use(
  rateLimit({
    requestsPerSecond: 1 / 20,
    burst: 3,
    methods: ["tools/call"],
    // A user with a token keeps one bucket wherever they call from; others go by address.
    by: (request) => subjectOf(request) ?? clientAddress(request),
  }),
);

if (import.meta.url === `file://${process.argv[1]}`)
  await mcp.run({ transport: "streamable-http", host: "127.0.0.1", port: 8000 });
