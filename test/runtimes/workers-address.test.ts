/**
 * On Cloudflare the client's address is CF-Connecting-IP, which the edge
 * sets on every request; `mcp.fetch` reads it only from a request that
 * carries Cloudflare's `cf` object, so the same header sent to a server
 * elsewhere proves nothing. workerd stands in for the edge: it builds
 * `request.cf` from the `cf-blob` header (its `cfBlobHeader` setting), as
 * Cloudflare's front line hands it to the runtime.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type RunningWorker, startWorkerd } from "../../scripts/conformance-runtimes/workerd.mjs";
import { MODERN_HEADERS, MODERN_META, post } from "../helpers/http.ts";

let worker: RunningWorker;
before(async () => {
  worker = await startWorkerd("test/fixtures/worker-address.ts");
});
after(() => worker.stop());

async function whoami(headers: Record<string, string>): Promise<string> {
  const { status, body } = await post(
    `${worker.origin}/mcp`,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "whoami", arguments: {}, _meta: MODERN_META },
    },
    { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "whoami", ...headers },
  );
  assert.equal(status, 200, worker.log());
  return (body as { result: { content: { text: string }[] } }).result.content[0]?.text ?? "";
}

test("a request with cf: the address is CF-Connecting-IP", async () => {
  const cf = JSON.stringify({ colo: "FRA", country: "DE" });
  assert.equal(await whoami({ "cf-blob": cf, "cf-connecting-ip": "203.0.113.5" }), "203.0.113.5");
});

test("a request without cf: CF-Connecting-IP is a header like any other, not an address", async () => {
  assert.equal(await whoami({ "cf-connecting-ip": "203.0.113.5" }), "unknown");
});
