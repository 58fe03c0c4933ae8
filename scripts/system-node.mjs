// The Node our own code runs on in npm scripts. npm puts node_modules/.bin
// first on PATH, and there `node` is the devDependency the conformance suites
// need (Node 22); nested `npm run` calls even run npm itself on it. Tests and
// the conformance server must run on the user's Node (20 is the floor we
// support): the Node running this script, unless that is the one from
// node_modules, in which case the first `node` on PATH outside node_modules.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const inNodeModules = (path) => path.split(/[\\/]/).includes("node_modules");

export function systemNode() {
  if (!inNodeModules(process.execPath)) return process.execPath;
  const name = process.platform === "win32" ? "node.exe" : "node";
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "" || inNodeModules(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return process.execPath;
}
