/** The lifespan starts once before the first request, is typed in ctx.lifespan, and ends on close. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../src/index.ts";
import { createTestClient } from "../src/testing/index.ts";

test("lifespan runs once, its value reaches handlers, and cleanup runs on close", async () => {
  const events: string[] = [];
  const app = new FastMCP("MyApp", {
    lifespan: async function* () {
      events.push("start");
      const db = { query: (sql: string) => [`rows for ${sql}`] };
      try {
        yield { db };
      } finally {
        events.push("stop");
      }
    },
  });
  app.tool("query_db", { input: { sql: z.string() } }, ({ sql }, ctx) =>
    ctx.lifespan.db.query(sql),
  );
  assert.deepEqual(events, [], "nothing starts at construction");
  const a = await createTestClient(app);
  const b = await createTestClient(app, { era: "modern" });
  const result = await a.callTool("query_db", { sql: "select 1" });
  assert.deepEqual(result.content, [{ type: "text", text: '["rows for select 1"]' }]);
  await b.callTool("query_db", { sql: "select 2" });
  assert.deepEqual(events, ["start"]);
  await app.close();
  assert.deepEqual(events, ["start", "stop"]);
  await a.close();
  await b.close();
});

test("a lifespan that fails to start fails the request, clearly", async () => {
  const app = new FastMCP("Broken", {
    lifespan: async function* () {
      throw new Error("database unreachable");
      // biome-ignore lint/correctness/noUnreachable: the generator must still be a generator
      yield {};
    },
  });
  await assert.rejects(createTestClient(app), /database unreachable/);
});
