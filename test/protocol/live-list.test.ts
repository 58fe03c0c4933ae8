/** LiveList: the running requests' list (no Map churn), and the engine behaviour built on it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { LiveList } from "../../src/util/live-list.ts";
import { MODERN_META, rawChannel } from "../helpers/raw.ts";

test("entries come and go in any order; removing twice does nothing", () => {
  const list = new LiveList<string>();
  const a = list.add("a");
  const b = list.add("b");
  const c = list.add("c");
  assert.equal(list.size, 3);
  assert.deepEqual([...list], ["c", "b", "a"]);
  b.remove();
  b.remove();
  assert.equal(list.size, 2);
  assert.deepEqual([...list], ["c", "a"]);
  c.remove();
  assert.deepEqual([...list], ["a"]);
  a.remove();
  assert.equal(list.size, 0);
  assert.deepEqual([...list], []);
  list.add("d");
  assert.deepEqual([...list], ["d"]);
});

test("find returns the newest match", () => {
  const list = new LiveList<{ id: number; tag: string }>();
  list.add({ id: 1, tag: "old" });
  list.add({ id: 2, tag: "other" });
  list.add({ id: 1, tag: "new" });
  assert.equal(list.find((v) => v.id === 1)?.tag, "new");
  assert.equal(
    list.find((v) => v.id === 3),
    undefined,
  );
});

test("iterating while entries are removed (as aborting does) visits each live entry once", () => {
  const list = new LiveList<number>();
  const entries = [1, 2, 3, 4, 5].map((n) => list.add(n));
  const seen: number[] = [];
  for (const value of list) {
    seen.push(value);
    // The one just visited and the one after it go, as a finished request would.
    entries[value - 1]?.remove();
    entries[value - 2]?.remove();
  }
  assert.deepEqual(seen, [5, 3, 1]);
  assert.equal(list.size, 0);
});

test("two running requests with the same id on one channel: a cancellation reaches the newer, the next one the older", async () => {
  const mcp = new FastMCP("same-id");
  const aborted: string[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const input = { type: "object", properties: { tag: { type: "string" } } } as const;
  mcp.tool("wait", { input }, async (args, ctx) => {
    await Promise.race([
      released,
      new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      ),
    ]);
    if (ctx.signal.aborted) aborted.push(String(args.tag));
    return "done";
  });
  const channel = await rawChannel(mcp);
  try {
    for (const tag of ["first", "second"])
      channel.send({
        jsonrpc: "2.0",
        id: 9,
        method: "tools/call",
        params: { _meta: MODERN_META, name: "wait", arguments: { tag } },
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    channel.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(aborted, ["second"]);
    // The newer one has ended; the older, still running, is found by the same id.
    channel.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(aborted, ["second", "first"]);
    release();
  } finally {
    await channel.close();
  }
});
