// `npm run bench`: installs the peers (bench/ has its own package.json, so
// fastmcp-ts stays lean), builds, then runs the harness on the user's Node
// (not the Node 22 devDependency npm puts first on PATH).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemNode } from "./system-node.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const step = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (!existsSync(join(root, "bench", "node_modules")))
  step(npm, ["ci", "--prefix", "bench", "--no-audit", "--no-fund"]);
step(npm, ["run", "build", "--silent"]);
step(systemNode(), [
  "--import",
  "tsx",
  join(root, "bench", "src", "main.ts"),
  ...process.argv.slice(2),
]);
// The report's tables, laid out the way the linter wants them.
const report = join(root, "docs", "benchmarks.md");
if (existsSync(report))
  step(join(root, "node_modules", ".bin", "biome"), ["format", "--write", report]);
