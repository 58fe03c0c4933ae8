// How scripts/conformance.mjs starts the conformance server on Bun (the
// devDependency `bun`): Bun runs the TypeScript sources as they are, and
// fetches nothing (--no-install).
import { existsSync } from "node:fs";
import { join } from "node:path";

export function bunServer(root) {
  const command = join(root, "node_modules", ".bin", "bun");
  if (!existsSync(command)) return { missing: "the devDependency bun is missing; run `npm ci`" };
  return {
    runtime: "Bun",
    command,
    args: ["--no-install", "scripts/conformance-runtimes/serve-bun.ts"],
    version: [command, ["--version"]],
  };
}
