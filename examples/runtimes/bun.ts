/**
 * The example server on Bun, over Streamable HTTP: `Bun.serve` hands every
 * request to `mcp.fetch`. Both protocol eras answer on /mcp.
 *
 *   bun examples/runtimes/bun.ts          # http://127.0.0.1:8000/mcp
 *   PORT=9000 HOST=0.0.0.0 bun examples/runtimes/bun.ts
 *
 * In your project: `bun add fastmcp-ts zod`, import from "fastmcp-ts", and run
 * the file with `bun`. Deploy it anywhere Bun runs (a container from the
 * `oven/bun` image running `bun server.ts`, Fly.io, Railway, a VM); no build
 * step is needed, Bun runs TypeScript as is.
 */
import { createExampleServer } from "./example-server.ts";

/** The part of Bun's API this file uses (the project does not depend on @types/bun). */
declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number; stop(closeActive?: boolean): Promise<void> };
};

const hostname = process.env.HOST ?? "127.0.0.1";
// No allowedHosts needed on loopback: Bun hands mcp.fetch its server, which says where
// it listens, and a loopback server answers only loopback Host names (DNS rebinding), as
// under run(). Elsewhere (HOST=0.0.0.0), list the names it serves in http.allowedHosts.
const mcp = createExampleServer();
const server = Bun.serve({
  hostname,
  port: Number(process.env.PORT ?? 8000),
  fetch: mcp.fetch,
});
console.log(`MCP server listening on http://${hostname}:${server.port}/mcp`);

const stop = async () => {
  await server.stop(true);
  await mcp.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
