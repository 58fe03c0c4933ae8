/** examples/middleware.ts through the official clients: over stdio (v1) and in memory (v2, 2026-07-28). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { v1Stdio, v2InMemory } from "../helpers/clients.ts";

type Caller = {
  callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  readResource(p: { uri: string }): Promise<unknown>;
  listTools(): Promise<{ tools: { name: string }[] }>;
};

async function check(client: Caller): Promise<void> {
  const text = async (city: string) =>
    (
      (await client.callTool({ name: "forecast", arguments: { city } })) as {
        content: { text: string }[];
      }
    ).content[0]?.text;
  const first = await text("Paris");
  assert.match(first ?? "", /^Sunny in Paris, computed at /);
  // The hook trims the city, so this is the same call: served from the cache.
  assert.equal(await text("  Paris "), first);
  const missing = await client.readResource({ uri: "notes://nope" }).catch((e: unknown) => e);
  assert.equal((missing as { code: number }).code, -32002);
  const note = (await client.readResource({ uri: "notes://welcome" })) as {
    contents: { text: string }[];
  };
  assert.equal(note.contents[0]?.text, "Hello from the middleware example.");
  // Without a token (stdio, in memory) nothing is hidden.
  assert.ok((await client.listTools()).tools.some((t) => t.name === "internal_stats"));
}

test("examples/middleware.ts over stdio (v1 client)", async () => {
  const { client, close } = await v1Stdio("examples/middleware.ts");
  try {
    await check(client as unknown as Caller);
  } finally {
    await close();
  }
});

test("examples/middleware.ts in memory (v2 client, 2026-07-28)", async () => {
  const { mcp } = await import("../../examples/middleware.ts");
  const { client, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
  try {
    await check(client as unknown as Caller);
  } finally {
    await close();
  }
});
