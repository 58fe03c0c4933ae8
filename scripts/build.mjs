// Builds dist/: one ES module per public entry point (shared code in a chunk),
// plus the declaration files tsc writes. Node's ES module loader spends about
// half a millisecond opening, resolving and compiling each file, so the ~90
// source modules imported one by one cost ~45 ms at start-up; bundled they
// load in under 20 ms (see docs/benchmarks.md, cold start).
//
// @cfworker/json-schema (MIT) is bundled too: its own eleven modules took
// ~6 ms to load apart and ~1.5 ms inside the bundle. It is a devDependency for
// that reason, and its notice is written beside the bundle.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = (await import(join(root, "package.json"), { with: { type: "json" } })).default;

rmSync(join(root, "dist"), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "auth/index": "src/auth/index.ts",
    "redis/index": "src/redis/index.ts",
    "middleware/index": "src/middleware/index.ts",
    "otel/index": "src/otel/index.ts",
    "cli/bin": "src/cli/bin.ts",
    // Registered with module.register by `dev`, so a module of its own (it runs in Node's hooks thread).
    "cli/dev-loader": "src/cli/dev-loader.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Runtime dependencies stay packages of their own: users dedupe and update them.
  // Peer dependencies too (jose for fastmcp-ts/auth, @redis/client for fastmcp-ts/redis):
  // the user's copy is the one to load, and a server without auth or Redis must not need them.
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});

writeFileSync(join(root, "dist/THIRD-PARTY-NOTICES.md"), notices());

execFileSync(
  process.execPath,
  [
    join(root, "node_modules/typescript/bin/tsc"),
    "-p",
    "tsconfig.build.json",
    "--emitDeclarationOnly",
  ],
  { cwd: root, stdio: "inherit" },
);

function notices() {
  const bundled = ["@cfworker/json-schema"].map((name) => {
    const meta = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"));
    return `## ${name} ${meta.version}\n\n${meta.repository}\n\n${mitLicense(meta.author)}`;
  });
  return `# Third-party code bundled in dist/\n\n${bundled.join("\n\n")}\n`;
}

function mitLicense(holder) {
  return `MIT License

Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;
}
