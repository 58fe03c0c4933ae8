/**
 * The example server on Bun: Bun.serve + mcp.fetch in both eras, and
 * mcp.run() over stdio. `--no-install`: a package missing from node_modules
 * fails instead of being fetched.
 */
import { describe, test } from "node:test";
import { requireRuntime, runtimeBinary, startHttp, userProject } from "../helpers/runtimes.ts";
import {
  addressSeen,
  servesBothErasThenStops,
  slowCall,
  stdio,
  withAddressTool,
  withSlowTool,
} from "./example-checks.ts";

describe("Bun", () => {
  test("Bun.serve + mcp.fetch: the v1 client (legacy) and the v2 client (2026-07-28); a foreign Host is refused; SIGTERM exits 0", async () => {
    requireRuntime("bun");
    const server = await startHttp(runtimeBinary("bun"), [
      "--no-install",
      "examples/runtimes/bun.ts",
    ]);
    await servesBothErasThenStops(server);
  });

  // Bun.serve cuts a request it deems idle for its idleTimeout (10 s by default): a slow
  // tool's call must not look idle to it, or every Bun entry would need that setting.
  test("a tool quiet for longer than Bun's idle timeout (10 s) still answers", async () => {
    requireRuntime("bun");
    const entry = ["--no-install", "examples/runtimes/bun.ts"];
    const server = await startHttp(runtimeBinary("bun"), entry, userProject(withSlowTool));
    try {
      await slowCall(server.url, 15_000);
    } finally {
      await server.stop();
    }
  });

  test("Bun.serve({ fetch: mcp.fetch }) hands over its server, whose requestIP gives the client's address", async () => {
    requireRuntime("bun");
    const entry = ["--no-install", "examples/runtimes/bun.ts"];
    const server = await startHttp(runtimeBinary("bun"), entry, userProject(withAddressTool));
    try {
      await addressSeen(server.url);
    } finally {
      await server.stop();
    }
  });

  test("mcp.run() over stdio, spawned by the v1 client", async () => {
    requireRuntime("bun");
    await stdio(runtimeBinary("bun"), ["--no-install", "examples/runtimes/stdio.ts"]);
  });
});
