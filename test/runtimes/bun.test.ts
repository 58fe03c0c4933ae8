/** The example server on Bun: Bun.serve + mcp.fetch in both eras, and mcp.run() over stdio. */
import { describe, test } from "node:test";
import { requireRuntime, runtimeBinary, startHttp } from "../helpers/runtimes.ts";
import { legacyHttp, modernHttp, stdio } from "./example-checks.ts";

describe("Bun", () => {
  test("Bun.serve + mcp.fetch: the v1 client (legacy) and the v2 client (2026-07-28)", async (t) => {
    if (!requireRuntime(t, "bun")) return;
    const server = await startHttp(runtimeBinary("bun"), ["examples/runtimes/bun.ts"]);
    try {
      await legacyHttp(server.url);
      await modernHttp(server.url);
    } finally {
      await server.stop();
    }
  });

  test("mcp.run() over stdio, spawned by the v1 client", async (t) => {
    if (!requireRuntime(t, "bun")) return;
    await stdio(runtimeBinary("bun"), ["examples/runtimes/stdio.ts"]);
  });
});
