/**
 * Over HTTP on loopback: a task past its TTL is answered -32602 as the spec
 * says; and a task belongs to the principal that created it: another token
 * can neither read, answer nor cancel it, and is told nothing it would not
 * be told of a task that does not exist.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { StaticTokenVerifier } from "../../src/auth/index.ts";
import { FastMCP } from "../../src/index.ts";
import { type Served, serveHttp } from "../helpers/http.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

let shortLived: Served;
let guarded: Served;

before(async () => {
  const brief = new FastMCP("Brief tasks", { tasks: { ttlMs: 200, pollIntervalMs: 10 } });
  brief.tool("quick", { task: "optional" }, () => "quick answer");
  shortLived = await serveHttp(brief);

  const mcp = new FastMCP("Guarded tasks", {
    tokenVerifier: new StaticTokenVerifier({
      "alice-token": { subject: "alice", scopes: [] },
      "bob-token": { subject: "bob", scopes: [] },
    }),
    auth: { issuerUrl: "https://auth.example.com", resourceServerUrl: "http://127.0.0.1/mcp" },
  });
  mcp.tool("ask", { task: "optional" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Go on?", { go: z.boolean() });
    return answer.action === "accept" ? `went ${answer.content.go}` : "stopped";
  });
  guarded = await serveHttp(mcp);
});
after(async () => {
  await shortLived.stop();
  await guarded.stop();
});

test("the task carries the server's ttlMs and pollIntervalMs; past the TTL, -32602", async () => {
  const client = new TasksClient(shortLived.url);
  const created = await client.start("quick");
  assert.equal(created.ttlMs, 200);
  assert.equal(created.pollIntervalMs, 10);
  // Polls (bounded in number) until the server has let the task go.
  let answer = await client.get(created.taskId);
  for (let i = 0; i < 1000 && answer.result; i++) {
    await new Promise((r) => setTimeout(r, 10));
    answer = await client.get(created.taskId);
  }
  assert.equal(answer.error?.code, -32602);
  assert.match(answer.error?.message ?? "", /^Failed to retrieve task: .*expired/);
  assert.equal((await client.cancel(created.taskId)).error?.code, -32602);
  assert.equal((await client.update(created.taskId, {})).error?.code, -32602);
});

test("another principal cannot read, answer or cancel a task", async () => {
  const capabilities = { elicitation: {} };
  const alice = new TasksClient(guarded.url, { token: "alice-token", capabilities });
  const bob = new TasksClient(guarded.url, { token: "bob-token", capabilities });
  const { taskId } = await alice.start("ask");
  const asked = await alice.until(taskId, (t) => t.status === "input_required");
  const [key] = Object.keys(asked.inputRequests ?? {}) as [string];

  const unknown = await bob.get("AAAAAAAAAAAAAAAAAAAAAA");
  for (const attempt of [
    await bob.get(taskId),
    await bob.update(taskId, { [key]: { action: "accept", content: { go: false } } }),
    await bob.cancel(taskId),
  ]) {
    // The same answer as for a task that does not exist: nothing is revealed.
    assert.equal(attempt.error?.code, -32602);
    assert.equal(attempt.error?.message, unknown.error?.message);
    assert.equal(attempt.result, undefined);
  }

  const untouched = await alice.get(taskId);
  assert.equal(untouched.result?.status, "input_required", "bob's cancel and answer did nothing");
  assert.deepEqual(Object.keys(untouched.result?.inputRequests ?? {}), [key]);
  await alice.update(taskId, { [key]: { action: "accept", content: { go: true } } });
  const done = await alice.settled(taskId);
  assert.deepEqual(done.result?.content, [{ type: "text", text: "went true" }]);
  assert.equal((await bob.get(taskId)).error?.code, -32602, "finished, still not bob's");
});

test("without a token the endpoint answers 401 before any task is touched", async () => {
  const nobody = new TasksClient(guarded.url);
  assert.equal((await nobody.get("AAAAAAAAAAAAAAAAAAAAAA")).status, 401);
});
