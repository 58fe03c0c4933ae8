/** The wire checker itself: it must catch invalid messages, or the interop checks prove nothing. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { validateWire, WireLog } from "./helpers/wire.ts";

test("invalid results and notifications are reported", () => {
  assert.deepEqual(
    validateWire("2025-11-25", "CallToolResult", { content: [{ type: "text", text: "ok" }] }),
    [],
  );
  assert.notDeepEqual(validateWire("2025-11-25", "CallToolResult", { content: "not a list" }), []);
  assert.notDeepEqual(
    validateWire("2026-07-28", "CallToolResult", { content: [] }),
    [],
    "resultType is required",
  );
  assert.notDeepEqual(
    validateWire("2024-11-05", "ServerNotification", { method: "notifications/progress" }),
    [],
  );
});

test("a log flags a response whose result does not fit its request", () => {
  const log = new WireLog(() => "2026-07-28");
  log.clientSent({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
  log.serverSent({ jsonrpc: "2.0", id: 1, result: { resultType: "complete", tools: [] } });
  assert.equal(log.problems().length, 1, "ttlMs and cacheScope are missing");
});
