// The conformance server (examples/conformance-server.ts) served by Deno.serve
// through mcp.fetch, for scripts/conformance.mjs's Deno run. Prints the URL the
// way the Node server does; PORT=0 picks a free port.
import { mcp } from "../../examples/conformance-server.ts";

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

Deno.serve(
  {
    hostname: "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? 3000),
    onListen: ({ port }) =>
      console.log(`conformance server listening on http://127.0.0.1:${port}/mcp`),
  },
  mcp.fetch,
);
