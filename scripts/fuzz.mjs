#!/usr/bin/env node
// `npm run fuzz -- --cases N --seed S [engine|http|stdio]`: the fuzz properties of
// test/fuzz/ with more cases or another seed than the test suite's fixed budget.
// A failure prints the counterexample, shrunk by fast-check, and the seed and
// path that replay it.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { systemNode } from "./system-node.mjs";

const { values, positionals } = parseArgs({
  options: { cases: { type: "string" }, seed: { type: "string" } },
  allowPositionals: true,
});
const env = { ...process.env };
if (values.cases !== undefined) env.FUZZ_CASES = values.cases;
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
else env.FUZZ_SEED = String(Math.floor(Math.random() * 2 ** 31));
console.log(
  `fuzz: seed ${env.FUZZ_SEED}${values.cases ? `, ${values.cases} cases per property` : ""}`,
);

const dir = join("test", "fuzz");
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".test.ts"))
  .filter((name) => positionals.length === 0 || positionals.some((p) => name.startsWith(p)))
  .map((name) => join(dir, name));
const result = spawnSync(
  systemNode(),
  ["--import", "tsx", "--test", "--test-reporter=spec", "--test-timeout=0", ...files],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
