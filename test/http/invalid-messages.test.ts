/**
 * A POST whose message JSON-RPC cannot take (an id that is neither a string
 * nor a number, no method) is answered with the Invalid Request error, in
 * both eras; before, it was accepted with 202 and no answer at all (found by
 * the fuzzer, test/fuzz/http.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FastMCP } from "../../src/index.ts";
import { MODERN_META, type Served, serveHttp } from "../helpers/http.ts";

let served: Served;
before(async () => {
  served = await serveHttp(new FastMCP("invalid-messages", { statelessHttp: true }));
});
after(() => served.stop());

async function postRaw(body: unknown, modern: boolean) {
  const response = await fetch(served.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": modern ? "2026-07-28" : "2025-11-25",
      ...(modern ? { "mcp-method": "ping" } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.text()) || undefined };
}

for (const modern of [false, true]) {
  const era = modern ? "2026-07-28" : "legacy";
  const params = modern ? { _meta: MODERN_META } : {};

  test(`${era}: an id that is neither a string nor a number gets -32600 with a null id, not 202`, async () => {
    for (const id of [[], {}, true, null]) {
      const { status, body } = await postRaw(
        { jsonrpc: "2.0", id, method: "ping", params },
        modern,
      );
      assert.equal(status, 400, `id ${JSON.stringify(id)}`);
      const answer = JSON.parse(body ?? "{}") as { id?: unknown; error?: { code: number } };
      assert.equal(answer.error?.code, -32600);
      assert.ok(answer.id === null || !("id" in answer));
    }
  });

  test(`${era}: a message with an id and no method gets -32600 with its id`, async () => {
    const { status, body } = await postRaw({ jsonrpc: "2.0", id: 5, params }, modern);
    assert.equal(status, 400);
    const answer = JSON.parse(body ?? "{}") as { id?: unknown; error?: { code: number } };
    assert.equal(answer.error?.code, -32600);
    assert.equal(answer.id, 5);
  });

  test(`${era}: a notification is still accepted with 202 and no body`, async () => {
    const { status, body } = await postRaw(
      { jsonrpc: "2.0", method: "notifications/initialized", params },
      modern,
    );
    assert.equal(status, 202);
    assert.equal(body, undefined);
  });
}
