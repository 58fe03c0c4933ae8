// The house rules that no linter checks: no file in src/ over 400 lines, and
// no import cycle among src/ files (type-only imports count: a cycle of types
// still ties the files' ideas together). Run by `npm test` through `npm run lint`.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeFreeProblems } from "./check-node-free.mjs";

const MAX_LINES = 400;
const root = dirname(dirname(fileURLToPath(import.meta.url)));
// A folder to check may be given (the layout test checks one it makes); default src/.
const src = process.argv[2] ? resolve(process.argv[2]) : join(root, "src");

/** Every .ts file under a folder. */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

// `import ... from "x"`, `export ... from "x"`, `import "x"` and `import("x")`,
// across lines; comments are dropped first so an example in one is not read.
const SPECIFIER =
  /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+|\bimport\s*\(\s*)["']([^"']+)["']/g;

function importsOf(file, text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const found = new Set();
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[1];
    if (!specifier.startsWith(".")) continue;
    found.add(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
  }
  return found;
}

const files = sourceFiles(src);
const graph = new Map();
const problems = [];
const texts = new Map();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  texts.set(file, text);
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  if (lines > MAX_LINES)
    problems.push(
      `${relative(root, file)}: ${lines} lines (at most ${MAX_LINES}); split it along its ideas`,
    );
  graph.set(
    file,
    [...importsOf(file, text)].filter((target) => files.includes(target)),
  );
}

// Tarjan's strongly connected components: each one with more than one file is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
function visit(file) {
  const mine = { index, low: index, onStack: true };
  index++;
  state.set(file, mine);
  stack.push(file);
  for (const target of graph.get(file)) {
    const theirs = state.get(target);
    if (!theirs) {
      visit(target);
      mine.low = Math.min(mine.low, state.get(target).low);
    } else if (theirs.onStack) mine.low = Math.min(mine.low, theirs.index);
  }
  if (mine.low !== mine.index) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    state.get(member).onStack = false;
    component.push(member);
  } while (member !== file);
  if (component.length > 1 || graph.get(file).includes(file)) cycles.push(component);
}
for (const file of files) if (!state.has(file)) visit(file);

for (const cycle of cycles) {
  const names = cycle.map((file) => relative(root, file)).sort();
  problems.push(`import cycle among ${names.length} files: ${names.join(", ")}`);
}

problems.push(...nodeFreeProblems(src, texts, root));

if (problems.length > 0) {
  console.error(`check-layout: ${problems.length} problem(s) in ${relative(root, src)}/`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `check-layout: ${files.length} files in ${relative(root, src)}/, none over ${MAX_LINES} lines, no import cycle`,
);
