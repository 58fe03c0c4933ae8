/** The example server in a Hono app on Node (@hono/node-server), both eras over real HTTP; and its stdio entry on Node. */
import { test } from "node:test";
import { requireRuntime, startHttp, userProject } from "../helpers/runtimes.ts";
import { addressSeen, servesBothErasThenStops, stdio, withAddressTool } from "./example-checks.ts";

test("Hono on Node: the v1 client (legacy) and the v2 client (2026-07-28); a foreign Host is refused; SIGTERM exits 0", async () => {
  requireRuntime("node");
  const server = await startHttp(process.execPath, [
    "--import",
    "tsx",
    "examples/runtimes/hono-node.ts",
  ]);
  await servesBothErasThenStops(server);
});

test("Hono on Node: mcp.fetch(c.req.raw, c.env) finds the client's address in @hono/node-server's bindings", async () => {
  requireRuntime("node");
  const entry = ["--import", "tsx", "examples/runtimes/hono-node.ts"];
  const server = await startHttp(process.execPath, entry, userProject(withAddressTool));
  try {
    await addressSeen(server.url);
  } finally {
    await server.stop();
  }
});

test("the stdio entry on Node (tsx), spawned by the v1 client", async () => {
  requireRuntime("node");
  await stdio(process.execPath, ["--import", "tsx", "examples/runtimes/stdio.ts"]);
});
