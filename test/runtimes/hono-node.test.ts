/** The example server in a Hono app on Node (@hono/node-server), both eras over real HTTP. */
import { test } from "node:test";
import { requireRuntime, startHttp } from "../helpers/runtimes.ts";
import { legacyHttp, modernHttp, rebindingRefused } from "./example-checks.ts";

test("Hono on Node: the v1 client (legacy) and the v2 client (2026-07-28); a foreign Host is refused", async (t) => {
  if (!requireRuntime(t, "node")) return;
  const server = await startHttp(process.execPath, [
    "--import",
    "tsx",
    "examples/runtimes/hono-node.ts",
  ]);
  try {
    await legacyHttp(server.url);
    await modernHttp(server.url);
    await rebindingRefused(server.url);
  } finally {
    await server.stop();
  }
});
