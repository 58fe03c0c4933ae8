/**
 * The same task tools, called by clients that take no tasks, over HTTP on
 * loopback: the official v1 SDK client (legacy era) gets the ordinary
 * synchronous result, even from a tool whose task is "required"; the v2
 * client (2026-07-28, which does not declare the extension) gets the
 * ordinary result from "optional" and -32021 from "required".
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { type Served, serveHttp, v1Http, v2Http } from "../helpers/http.ts";
import { TASKS_EXT, TasksClient } from "../helpers/tasks-client.ts";

let served: Served;

before(async () => {
  const mcp = new FastMCP("Eras");
  mcp.tool("square", { task: "optional", input: { n: z.number() } }, ({ n }) => n * n);
  mcp.tool("audit", { task: "required" }, () => "audited");
  served = await serveHttp(mcp);
});
after(() => served.stop());

test("a legacy-era client (v1 SDK) gets the ordinary result, whatever the task mode", async () => {
  const { client, wire, close } = await v1Http(served.url);
  try {
    const square = await client.callTool({ name: "square", arguments: { n: 7 } });
    assert.deepEqual(square.content, [{ type: "text", text: "49" }]);
    const audit = await client.callTool({ name: "audit" });
    assert.deepEqual(audit.content, [{ type: "text", text: "audited" }]);
    assert.equal(audit.isError, undefined);
    const capabilities = client.getServerCapabilities() as Record<string, unknown>;
    assert.equal("tasks" in capabilities, false, "no legacy tasks capability is advertised");
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

test("a 2026-07-28 client without the extension: optional runs synchronously, required is -32021", async () => {
  const { client, close } = await v2Http(served.url, { pin: "2026-07-28" });
  try {
    const square = await client.callTool({ name: "square", arguments: { n: 5 } });
    assert.deepEqual(square.content, [{ type: "text", text: "25" }]);
    await assert.rejects(client.callTool({ name: "audit" }), (error: unknown) => {
      const { code, data } = error as { code?: number; data?: Record<string, unknown> };
      assert.equal(code, -32021);
      assert.deepEqual(data?.requiredCapabilities, { extensions: { [TASKS_EXT]: {} } });
      return true;
    });
  } finally {
    await close();
  }
});

test("the same tool, with the extension declared, answers with a task", async () => {
  const tasks = new TasksClient(served.url);
  const { taskId } = await tasks.start("square", { n: 9 });
  const done = await tasks.settled(taskId);
  assert.deepEqual(done.result?.content, [{ type: "text", text: "81" }]);
  const plain = new TasksClient(served.url, { optIn: false });
  const sync = await plain.rpc("tools/call", { name: "square", arguments: { n: 9 } }, "square");
  assert.equal(sync.result?.resultType, "complete");
  assert.deepEqual(sync.result?.content, [{ type: "text", text: "81" }]);
});
