/** fastmcp-ts/middleware is an entry of its own: the root bundle carries none of its code. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { requireBuilt } from "../helpers/dist.ts";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

test("the built fastmcp-ts/middleware entry exports the middleware; the root bundle has none of it", async () => {
  const entry = requireBuilt("dist/middleware/index.js");
  const built = (await import(entry)) as Record<string, unknown>;
  for (const name of [
    "logging",
    "timing",
    "rateLimit",
    "responseCache",
    "responseSizeLimit",
    "errorMapping",
  ])
    assert.equal(typeof built[name], "function", name);
  const shared = [
    join(root, "dist/index.js"),
    ...readdirSync(join(root, "dist/chunks"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => join(root, "dist/chunks", f)),
  ];
  for (const file of shared) {
    const code = readFileSync(file, "utf8");
    assert.doesNotMatch(code, /Rate limit exceeded|Response too large/, file);
  }
});
