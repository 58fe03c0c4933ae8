/** The example server in a Hono app on Node (@hono/node-server), both eras over real HTTP; and its stdio entry on Node. */
import { test } from "node:test";
import { requireRuntime, startHttp } from "../helpers/runtimes.ts";
import { servesBothErasThenStops, stdio } from "./example-checks.ts";

test("Hono on Node: the v1 client (legacy) and the v2 client (2026-07-28); a foreign Host is refused; SIGTERM exits 0", async (t) => {
  if (!requireRuntime(t, "node")) return;
  const server = await startHttp(process.execPath, [
    "--import",
    "tsx",
    "examples/runtimes/hono-node.ts",
  ]);
  await servesBothErasThenStops(server);
});

test("the stdio entry on Node (tsx), spawned by the v1 client", async (t) => {
  if (!requireRuntime(t, "node")) return;
  await stdio(process.execPath, ["--import", "tsx", "examples/runtimes/stdio.ts"]);
});
