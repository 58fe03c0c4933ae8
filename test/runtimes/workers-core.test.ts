/**
 * The root entry loads and serves where Node is not: a Worker importing every
 * export of `fastmcp-ts`, in workerd with Node compatibility off (no `node:`
 * modules, no `process`, no `Buffer`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startWorkerd } from "../../scripts/conformance-runtimes/workerd.mjs";
import * as fastmcp from "../../src/index.ts";

test("every export of the root entry loads in workerd without Node", async () => {
  const worker = await startWorkerd("test/fixtures/worker-core.ts");
  try {
    const response = await fetch(worker.origin);
    assert.equal(response.status, 200, worker.log());
    const found = (await response.json()) as {
      process: string;
      buffer: string;
      exports: string[];
      called: { content: { text: string }[] };
    };
    assert.equal(found.process, "undefined", "the runtime has no process");
    assert.equal(found.buffer, "undefined", "the runtime has no Buffer");
    assert.deepEqual(found.exports, Object.keys(fastmcp).sort());
    assert.ok(found.exports.includes("StdioServerTransport"));
    assert.equal(found.called.content[0]?.text, "echoed");
  } finally {
    await worker.stop();
  }
});
