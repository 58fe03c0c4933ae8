/**
 * The example server on Deno: Deno.serve + mcp.fetch in both eras, and
 * mcp.run() over stdio, with the narrowest permissions that serve them.
 */
import { describe, test } from "node:test";
import { denoRun, requireRuntime, startHttp, userProject } from "../helpers/runtimes.ts";
import { addressSeen, servesBothErasThenStops, stdio, withAddressTool } from "./example-checks.ts";

describe("Deno", () => {
  test("Deno.serve + mcp.fetch: the v1 client (legacy) and the v2 client (2026-07-28); a foreign Host is refused; SIGTERM exits 0", async () => {
    requireRuntime("deno");
    const { command, args } = denoRun("examples/runtimes/deno.ts", [
      "--allow-net=127.0.0.1",
      "--allow-env=PORT,HOST,FASTMCP_*",
    ]);
    const server = await startHttp(command, args);
    await servesBothErasThenStops(server);
  });

  test("Deno.serve(options, mcp.fetch) hands over its info, whose remoteAddr is the client's address", async () => {
    requireRuntime("deno");
    const { command, args } = denoRun("examples/runtimes/deno.ts", [
      "--allow-net=127.0.0.1",
      "--allow-env=PORT,HOST,FASTMCP_*",
    ]);
    const server = await startHttp(command, args, userProject(withAddressTool));
    try {
      await addressSeen(server.url);
    } finally {
      await server.stop();
    }
  });

  test("mcp.run() over stdio, spawned by the v1 client", async () => {
    requireRuntime("deno");
    const { command, args } = denoRun("examples/runtimes/stdio.ts", ["--allow-env=FASTMCP_*"]);
    await stdio(command, args);
  });
});
