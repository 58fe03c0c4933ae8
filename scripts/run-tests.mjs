#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern=...).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { systemNode } from "./system-node.mjs";

function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (entry.endsWith(".test.ts")) out.push(path);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const explicit = args.filter((arg) => arg.endsWith(".ts"));
const flags = args.filter((arg) => !arg.endsWith(".ts"));
const files = explicit.length > 0 ? explicit : collect("test");
const result = spawnSync(
  systemNode(),
  // --test-force-exit: a file whose tests are done but that leaves a handle open
  // (a Redis client reconnecting) ends instead of holding the whole run until CI's limit.
  ["--import", "tsx", "--test", "--test-force-exit", "--test-reporter=spec", ...flags, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
