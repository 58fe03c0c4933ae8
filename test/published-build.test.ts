/**
 * The package as users import it: `fastmcp-ts` and `fastmcp-ts/testing`
 * resolved through package.json's exports to the bundled dist/ (`npm test`
 * builds it first). Both entry points must share one copy of the engine, and
 * the bundled JSON Schema validator must be the one that answers.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

test("the published entry points work together from the bundle", async (t) => {
  if (!existsSync(join(root, "dist/index.js"))) {
    t.skip("dist/ is not built (npm run build)");
    return;
  }
  // Specifiers in variables: the typecheck runs before the build, when dist/ may not exist.
  const entry = "fastmcp-ts";
  const testing = "fastmcp-ts/testing";
  const { FastMCP } = (await import(entry)) as typeof import("../src/index.ts");
  const { createTestClient } = (await import(testing)) as typeof import("../src/testing/index.ts");
  const mcp = new FastMCP("bundled");
  mcp.tool(
    "add",
    {
      input: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    },
    (args) => (args.a as number) + (args.b as number),
  );
  for (const era of ["legacy", "modern"] as const) {
    const client = await createTestClient(mcp, { era });
    try {
      const ok = await client.callTool("add", { a: 1, b: 2 });
      assert.deepEqual(ok.content, [{ type: "text", text: "3" }]);
      const bad = await client.callTool("add", { a: 1, b: "2" });
      assert.equal(bad.isError, true);
      assert.match(JSON.stringify(bad.content), /b: Instance type \\"string\\" is invalid/);
    } finally {
      await client.close();
    }
  }
});

test("dist carries the notice of the code it bundles", (t) => {
  const notices = join(root, "dist/THIRD-PARTY-NOTICES.md");
  if (!existsSync(notices)) {
    t.skip("dist/ is not built (npm run build)");
    return;
  }
  assert.match(readFileSync(notices, "utf8"), /@cfworker\/json-schema[\s\S]*MIT License/);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.dependencies["@cfworker/json-schema"], undefined);
});
