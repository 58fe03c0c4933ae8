/**
 * The example server on Deno, over Streamable HTTP: `Deno.serve` hands every
 * request to `mcp.fetch`. Both protocol eras answer on /mcp.
 *
 *   deno run --node-modules-dir=manual --allow-net=127.0.0.1 \
 *     --allow-env="PORT,HOST,FASTMCP_*" examples/runtimes/deno.ts
 *
 * (from this repository add `--sloppy-imports`: its sources import `.js` names
 * of `.ts` files.) In your project: a package.json listing fastmcp-ts and zod,
 * `npm install`, and the command above, which takes npm packages from
 * node_modules and needs no other permission (PORT and HOST pick the
 * address; the server reads its `FASTMCP_*` settings). Deploy in a container
 * from the `denoland/deno` image running that command; Deno Deploy serves the
 * same `Deno.serve` call, though this project does not test it there.
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
