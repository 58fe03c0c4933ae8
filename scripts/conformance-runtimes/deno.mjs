// How scripts/conformance.mjs starts the conformance server on Deno (the
// devDependency `deno`). The sources import `.js` names of `.ts` files, which
// Deno takes with --sloppy-imports; npm packages come from node_modules only,
// nothing is fetched (--cached-only, with Deno's cache in conformance/results/),
// and the permissions are the narrowest that serve.
import { existsSync } from "node:fs";
import { join } from "node:path";

export function denoServer(root) {
  const command = join(root, "node_modules", ".bin", "deno");
  if (!existsSync(command)) return { missing: "the devDependency deno is missing; run `npm ci`" };
  return {
    runtime: "Deno",
    command,
    args: [
      "run",
      "--node-modules-dir=manual",
      "--sloppy-imports",
      "--cached-only",
      "--no-lock",
      "--allow-net=127.0.0.1",
      "--allow-env=PORT,FASTMCP_*",
      "scripts/conformance-runtimes/serve-deno.ts",
    ],
    env: { DENO_DIR: join(root, "conformance", "results", ".deno"), NO_COLOR: "1" },
    version: [command, ["--version"]],
  };
}
