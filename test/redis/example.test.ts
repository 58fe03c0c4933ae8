/** examples/redis-state.ts: two servers made from it share one session through Redis. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createServer } from "../../examples/redis-state.ts";
import { LEGACY_HEADERS, legacySession, post, serveHttp } from "../helpers/http.ts";
import { startRedis } from "../helpers/redis-server.ts";

test("a session opened on one process counts its visits on another", async () => {
  const redis = await startRedis();
  const one = createServer(redis.url);
  const two = createServer(redis.url);
  const a = await serveHttp(one.mcp);
  const b = await serveHttp(two.mcp);
  try {
    const session = await legacySession(a.url);
    const headers = { ...LEGACY_HEADERS, "mcp-session-id": session };
    const visits: string[] = [];
    for (const url of [b.url, a.url, b.url]) {
      const reply = await post(
        url,
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "visit" } },
        headers,
      );
      const content = (reply.body as { result: { content: { text: string }[] } }).result.content;
      visits.push(content[0]?.text.split(" (")[0] ?? "");
    }
    assert.deepEqual(visits, ["visit 1", "visit 2", "visit 3"]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([one.state.close(), two.state.close()]);
    await redis.stop();
  }
});
