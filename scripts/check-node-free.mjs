// The core runs without Node (Cloudflare Workers without nodejs_compat, browsers):
// check-layout.mjs calls this for every file in src/. Outside the Node-only
// entries and the Node adapters below, a file may not name `process` or
// `Buffer`, nor import a `node:` module. Nowhere in the root bundle may a
// `node:` module be imported statically, even by an adapter: bundlers (esbuild,
// wrangler) hoist such an import to the top of a Worker's one file, which then
// fails to load with `No such module "node:http"`. An adapter imports one
// dynamically, on a path only Node takes, or as a type.
import { dirname, relative, resolve, sep } from "node:path";

/** Folders that are Node entry points of their own, never reached from the root entry. */
const NODE_ENTRIES = ["cli", "redis"];

/** Files that run only on Node's paths, and why they may name Node's globals. */
const NODE_ADAPTERS = new Set([
  "transports/stdio.ts", // process.stdin/stdout by default
  "transports/http/node.ts", // IncomingMessage/ServerResponse exchange
  "transports/http/node-body.ts",
  "transports/http/listen.ts", // the node:http server behind run()
  "serving/run.ts", // mcp.run(): exit code, environment
  "serving/run-http.ts",
  "serving/stdio.ts", // signals, stdin
  "serving/workers.ts", // node:cluster
  "serving/hints.ts", // how the process was started
  "serving/health.ts",
  "serving/access-log.ts",
  "components/content.ts", // File({ path }) reads node:fs, only when given a path
]);

const STATIC_NODE_IMPORT =
  /(?:\bimport\s+(?!type\b)(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?!type\b)[\w*{}\s,$]+\s+from\s+)["']node:[^"']+["']/g;
const DYNAMIC_NODE_IMPORT = /(?<!typeof\s+)\bimport\s*\(\s*["']node:[^"']+["']\s*\)/g;
const NODE_GLOBAL = /(?<![\w$.])(process|Buffer)(?![\w$])(?!\s*\??:)/g;
const RELATIVE_VALUE_IMPORT =
  /(?:\bimport\s+(?!type\b)(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?!type\b)[\w*{}\s,$]+\s+from\s+|\bimport\s*\(\s*)["'](\.[^"']+)["']/g;

/** The code without comments and without the text of string literals (their quotes stay). */
function codeOf(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    .replace(/`(?:[^`\\]|\\.)*`/g, (literal) =>
      [...literal.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).join(" "),
    );
}

/** Problems with files of `src` (text by absolute path), as lines to print. */
export function nodeFreeProblems(src, texts, root) {
  const problems = [];
  const nodeEntry = (file) => NODE_ENTRIES.includes(relative(src, file).split(sep)[0]);
  for (const [file, text] of texts) {
    if (nodeEntry(file)) continue;
    const name = relative(src, file).split(sep).join("/");
    const shown = relative(root, file);
    const adapter = NODE_ADAPTERS.has(name);
    // Imports are read before strings are blanked: their specifiers are strings.
    const uncommented = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
    for (const match of uncommented.matchAll(STATIC_NODE_IMPORT))
      problems.push(
        `${shown}: static ${match[0].match(/node:[^"']+/)[0]} import; Workers cannot load the bundle ` +
          "(import it as a type, or with import() on a Node-only path in a Node adapter)",
      );
    if (!adapter)
      for (const match of uncommented.matchAll(DYNAMIC_NODE_IMPORT))
        problems.push(
          `${shown}: imports ${match[0].match(/node:[^"']+/)[0]} outside the Node adapters ` +
            "(scripts/check-node-free.mjs lists them); the core must run without Node",
        );
    for (const match of uncommented.matchAll(RELATIVE_VALUE_IMPORT)) {
      const target = resolve(dirname(file), match[1]);
      if (nodeEntry(target))
        problems.push(`${shown}: imports ${match[1]}, a Node-only entry, into the root bundle`);
    }
    if (adapter) continue;
    const names = new Set([...codeOf(text).matchAll(NODE_GLOBAL)].map((m) => m[1]));
    for (const global of names)
      problems.push(
        `${shown}: uses Node's \`${global}\` global outside the Node adapters ` +
          "(reach it through globalThis where it may be absent, or move the code to an adapter)",
      );
  }
  return problems;
}
