// The conformance server (examples/conformance-server.ts) served by Bun.serve
// through mcp.fetch, for scripts/conformance.mjs's Bun run. Prints the URL the
// way the Node server does; PORT=0 picks a free port.
import { mcp } from "../../examples/conformance-server.ts";

declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number };
};

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  fetch: mcp.fetch,
});
console.log(`conformance server listening on http://127.0.0.1:${server.port}/mcp`);
