/**
 * Prints where a V8 .cpuprofile spent its time: self time per function, and
 * inclusive time for functions of fastmcp-ts (dist/). Usage:
 *   node --import tsx bench/src/profile-summary.ts FILE.cpuprofile [top]
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary.ts FILE.cpuprofile [top]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const top = Number(topArg ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const name = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules|dist|src)\//, "$1/");
  return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(id);
  if (!node) return;
  self.set(name(node), (self.get(name(node)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = name(byId.get(at) as Node);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
});
const show = (title: string, map: Map<string, number>, filter: (k: string) => boolean) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
show("self time", self, () => true);
show("inclusive, fastmcp-ts", inclusive, (k) => k.includes("dist/"));
