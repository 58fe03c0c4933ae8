/**
 * The example server on Deno, over Streamable HTTP: `Deno.serve` hands every
 * request to `mcp.fetch`. Both protocol eras answer on /mcp.
 *
 *   deno run --allow-net=127.0.0.1 --allow-env="PORT,HOST,FASTMCP_*" examples/runtimes/deno.ts
 *
 * (from this repository add `--sloppy-imports`: its sources import `.js` names
 * of `.ts` files.) In your project: `deno add npm:fastmcp-ts npm:zod` (or
 * `npm install` beside a package.json), import from "fastmcp-ts", and run the
 * file as above: the server reads its `FASTMCP_*` settings, PORT and HOST
 * pick the address, and it needs no other permission. Deploy on Deno Deploy
 * or in a container from the `denoland/deno` image.
 */
import { createExampleServer, LOOPBACK_HOSTS } from "./example-server.ts";

/** The part of Deno's API this file uses (the project does not depend on Deno's types). */
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", listener: () => void): void;
  exit(code: number): never;
};

const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
const loopback = LOOPBACK_HOSTS.includes(hostname);
const mcp = createExampleServer(loopback ? { http: { allowedHosts: LOOPBACK_HOSTS } } : {});
const server = Deno.serve(
  {
    hostname,
    port: Number(Deno.env.get("PORT") ?? 8000),
    onListen: ({ port }) => console.log(`MCP server listening on http://${hostname}:${port}/mcp`),
  },
  mcp.fetch,
);

const stop = async () => {
  await mcp.close();
  await server.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
