import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

// scripts/check-layout.mjs keeps src/ free of files over 400 lines and of
// import cycles; `npm run lint` runs it. These tests show it catches both.
const script = join(import.meta.dirname, "..", "..", "scripts", "check-layout.mjs");
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "layout-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const run = spawnSync(process.execPath, [script, dir], { encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

test("src/ as it is passes", () => {
  const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test("a cycle through a type-only import is found, with every file in it", () => {
  const { status, output } = check({
    "a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
    "b.ts": 'import type { C } from "./sub/c.js";\nexport const b: C = 1;\n',
    "sub/c.ts": 'export type { A } from "../a.js";\nexport type C = number;\n',
    "d.ts": 'import { a } from "./a.js";\nexport const d = a;\n',
  });
  assert.equal(status, 1);
  assert.match(output, /import cycle among 3 files: .*a\.ts, .*b\.ts, .*sub\/c\.ts/);
  assert.doesNotMatch(output, /d\.ts/);
});

test("a multi-line import and a dynamic import count; one in a comment does not", () => {
  const cyclic = check({
    "a.ts": 'import {\n  b,\n} from "./b.js";\nexport const a = () => b;\n',
    "b.ts": 'export const b = () => import("./a.js");\n',
  });
  assert.equal(cyclic.status, 1);
  assert.match(cyclic.output, /import cycle among 2 files/);
  const commented = check({
    "a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
    "b.ts": '// import { a } from "./a.js";\n/* import "./a.js"; */\nexport const b = 1;\n',
  });
  assert.equal(commented.status, 0, commented.output);
});

test("a file over 400 lines is named with its length", () => {
  const { status, output } = check({
    "long.ts": "export const x = 1;\n".repeat(401),
    "short.ts": "export const y = 1;\n".repeat(400),
  });
  assert.equal(status, 1);
  assert.match(output, /long\.ts: 401 lines \(at most 400\)/);
  assert.doesNotMatch(output, /short\.ts/);
});

test("a core file that names process or Buffer, or imports a node: module, fails", () => {
  const { status, output } = check({
    "core.ts":
      'import { join } from "node:path";\nexport const a = process.env.X ?? Buffer.from(join("a")).length;\n',
    "lazy.ts": 'export const b = () => import("node:fs");\n',
    "fine.ts":
      'import type { Server } from "node:http";\n// process.env in a comment\nexport const s = "process";\nexport const g = (globalThis as { process?: unknown }).process;\nexport type F = typeof import("node:buffer").Buffer | Server;\n',
  });
  assert.equal(status, 1);
  assert.match(output, /core\.ts: static node:path import/);
  assert.match(output, /core\.ts: uses Node's `process` global/);
  assert.match(output, /core\.ts: uses Node's `Buffer` global/);
  assert.match(output, /lazy\.ts: imports node:fs outside the Node adapters/);
  assert.doesNotMatch(output, /fine\.ts/);
});

test("a Node adapter may use process and import() node: modules, but not import one statically", () => {
  const { status, output } = check({
    "transports/http/listen.ts":
      'export async function listen() {\n  const { createServer } = await import("node:http");\n  return [createServer, process.pid];\n}\n',
    "serving/workers.ts": 'import cluster from "node:cluster";\nexport const c = cluster;\n',
    "cli/main.ts":
      'import { parseArgs } from "node:util";\nexport const p = [parseArgs, process.argv];\n',
    "server.ts": 'import { p } from "./cli/main.js";\nexport const q = p;\n',
  });
  assert.equal(status, 1);
  assert.match(output, /serving\/workers\.ts: static node:cluster import/);
  assert.match(output, /server\.ts: imports \.\/cli\/main\.js, a Node-only entry/);
  assert.doesNotMatch(output, /listen\.ts|cli\/main\.ts/);
});
