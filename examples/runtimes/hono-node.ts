/**
 * The example server in a Hono application on Node (@hono/node-server):
 * the MCP endpoint is one route handing its request to `mcp.fetch`, beside
 * the application's own routes.
 *
 *   npx tsx examples/runtimes/hono-node.ts   # http://127.0.0.1:8000/mcp
 *
 * In your project: `npm install fastmcp-ts zod hono @hono/node-server`, import
 * from "fastmcp-ts", and deploy as any Node server (examples/deploy/ has a
 * Dockerfile). The same Hono app runs on Bun, Deno and Workers unchanged;
 * only the last lines, which start @hono/node-server, are Node's.
 */
import { type HttpBindings, serve } from "@hono/node-server";
import { Hono } from "hono";
import { createExampleServer, LOOPBACK_HOSTS } from "./example-server.ts";

const hostname = process.env.HOST ?? "127.0.0.1";
const loopback = LOOPBACK_HOSTS.includes(hostname);
const mcp = createExampleServer(loopback ? { http: { allowedHosts: LOOPBACK_HOSTS } } : {});

const app = new Hono<{ Bindings: HttpBindings }>();
app.get("/health", (c) => c.text("ok"));
// GET (the legacy era's stream), POST and DELETE all go to the one endpoint. c.env
// (@hono/node-server's bindings) holds the socket, where the client's address is read.
app.all("/mcp", (c) => mcp.fetch(c.req.raw, c.env));

const server = serve(
  { fetch: app.fetch, hostname, port: Number(process.env.PORT ?? 8000) },
  (info) => console.log(`MCP server listening on http://${hostname}:${info.port}/mcp`),
);

const stop = () => {
  server.close();
  void mcp.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
