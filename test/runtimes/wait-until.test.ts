/**
 * `mcp.fetch(request, context?, executionContext?)`: the runtime's
 * `waitUntil`, from whichever extra argument has one, gets a task's whole
 * run (up to its stored outcome), and nothing for calls that end with their
 * response; a `waitUntil` that is not a function is refused by name, and
 * runtime objects without one (Bun's server, Deno's info, Workers' env) are
 * passed through harmlessly. On workerd itself: test/runtimes/workers.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { MODERN_HEADERS, MODERN_META } from "../helpers/http.ts";
import { TASKS_EXT } from "../helpers/tasks-client.ts";

const META = {
  ...MODERN_META,
  "io.modelcontextprotocol/clientCapabilities": { extensions: { [TASKS_EXT]: {} } },
};

function rpc(method: string, params: Record<string, unknown>, name: string): Request {
  return new Request("http://localhost/mcp", {
    method: "POST",
    headers: { ...MODERN_HEADERS, "mcp-method": method, "mcp-name": name },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: META } }),
  });
}

async function result(response: Response): Promise<Record<string, unknown>> {
  const body = (await response.json()) as { result?: Record<string, unknown>; error?: unknown };
  if (body.result === undefined) throw new Error(`no result: ${JSON.stringify(body)}`);
  return body.result;
}

function server(): { mcp: FastMCP; release: () => void } {
  const mcp = new FastMCP("WaitUntil", { jsonResponse: true });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  mcp.tool("brew", { task: "optional", input: { tea: z.string() } }, async ({ tea }) => {
    await gate;
    return `Brewed ${tea}`;
  });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  return { mcp, release };
}

test("a task's run is handed to the waitUntil of the execution context, until its outcome is stored", async () => {
  const { mcp, release } = server();
  const handed: Promise<unknown>[] = [];
  const ctx = { waitUntil: (promise: Promise<unknown>) => handed.push(promise) };
  const env = { SOME_BINDING: "x" }; // Workers' (request, env, ctx): env has no waitUntil
  try {
    const plain = await result(
      await mcp.fetch(
        rpc("tools/call", { name: "add", arguments: { a: 1, b: 2 } }, "add"),
        env,
        ctx,
      ),
    );
    assert.deepEqual(plain.content, [{ type: "text", text: "3" }]);
    assert.equal(handed.length, 0, "a call that ends with its response hands nothing over");

    const created = await result(
      await mcp.fetch(
        rpc("tools/call", { name: "brew", arguments: { tea: "oolong" } }, "brew"),
        env,
        ctx,
      ),
    );
    assert.equal(created.resultType, "task");
    assert.equal(handed.length, 1, "the task's run was handed over before the response");
    const taskId = created.taskId as string;
    let settled = false;
    void (handed[0] as Promise<unknown>).then(() => {
      settled = true;
    });
    const working = await result(await mcp.fetch(rpc("tasks/get", { taskId }, taskId)));
    assert.equal(working.status, "working");
    assert.equal(settled, false, "the handed promise waits for the run");

    release();
    await handed[0];
    // Once the handed promise settles the outcome is stored: no polling needed.
    const done = await result(await mcp.fetch(rpc("tasks/get", { taskId }, taskId)));
    assert.equal(done.status, "completed");
    assert.deepEqual((done.result as { content: unknown }).content, [
      { type: "text", text: "Brewed oolong" },
    ]);
  } finally {
    release();
    await mcp.close();
  }
});

test("Netlify's (request, context) and Vercel's { waitUntil } as the second argument", async () => {
  const { mcp, release } = server();
  const handed: Promise<unknown>[] = [];
  release();
  try {
    const created = await result(
      await mcp.fetch(rpc("tools/call", { name: "brew", arguments: { tea: "sencha" } }, "brew"), {
        waitUntil: (promise: Promise<unknown>) => handed.push(promise),
      }),
    );
    assert.equal(created.resultType, "task");
    assert.equal(handed.length, 1);
    await handed[0];
    const taskId = created.taskId as string;
    const done = await result(await mcp.fetch(rpc("tasks/get", { taskId }, taskId)));
    assert.equal(done.status, "completed");
  } finally {
    await mcp.close();
  }
});

test("runtime objects without waitUntil pass through; a waitUntil that is no function is refused", async () => {
  const { mcp, release } = server();
  release();
  const call = () => rpc("tools/call", { name: "add", arguments: { a: 2, b: 2 } }, "add");
  try {
    // Bun's (request, server), Deno's (request, info): served as without them.
    const bun = await result(await mcp.fetch(call(), { port: 8000, hostname: "127.0.0.1" }));
    assert.deepEqual(bun.content, [{ type: "text", text: "4" }]);
    await assert.rejects(
      mcp.fetch(call(), { waitUntil: "soon" }),
      (error: unknown) =>
        error instanceof TypeError &&
        /the second argument's "waitUntil" must be a function/.test(error.message) &&
        /got string/.test(error.message),
    );
    await assert.rejects(
      mcp.fetch(call(), {}, { waitUntil: null }),
      /mcp\.fetch\(\): the third argument's "waitUntil" must be a function .*got null/,
    );
  } finally {
    await mcp.close();
  }
});
