/**
 * The runtime example on Cloudflare Workers: examples/runtimes/cloudflare-worker.ts,
 * bundled as wrangler would and served by a real `workerd` without Node
 * compatibility, driven by the official clients: the v1 SDK client in the
 * legacy era (stateless), the v2 client in 2026-07-28 (everything, elicitation
 * by multi round-trip), also across two Workers that share only the secret,
 * and a task polled to completion by the raw tasks client (the Worker hands
 * `ctx` to `mcp.fetch`, whose waitUntil keeps the task's run alive).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { type RunningWorker, startWorkerd } from "../../scripts/conformance-runtimes/workerd.mjs";
import { text } from "../helpers/asks.ts";
import { v1Http, v2Http } from "../helpers/http.ts";
import { type RoundRobinProxy, roundRobinProxy } from "../helpers/round-robin-proxy.ts";
import { TasksClient } from "../helpers/tasks-client.ts";

const ENTRY = "examples/runtimes/cloudflare-worker.ts";
const SECRET = "a-test-secret-that-every-isolate-shares-0123456789";

let workers: RunningWorker[] = [];
before(async () => {
  const bindings = { MCP_REQUEST_STATE_SECRET: SECRET };
  workers = await Promise.all([
    startWorkerd(ENTRY, { bindings }),
    startWorkerd(ENTRY, { bindings }),
  ]);
});
after(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
});

function url(): string {
  return `${(workers[0] as RunningWorker).origin}/mcp`;
}

describe("legacy era, v1 client, stateless", () => {
  test("tools, resource template and prompt work; no session is made", async () => {
    const { client, transport, close } = await v1Http(url());
    try {
      assert.equal(transport.sessionId, undefined);
      const get = await fetch(url(), { headers: { accept: "text/event-stream" } });
      assert.equal(get.status, 405, "no GET stream without sessions");
      await get.body?.cancel();
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        ["add", "count_down", "greet_user", "brew"],
      );
      const sum = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
      assert.equal(text(sum), "3");
      const read = await client.readResource({ uri: "runtime://greetings/Ada" });
      assert.deepEqual(read.contents, [
        { uri: "runtime://greetings/Ada", mimeType: "text/plain", text: "Greetings, Ada." },
      ]);
      const prompt = await client.getPrompt({ name: "summarize", arguments: { text: "Hi." } });
      assert.deepEqual(prompt.messages[0]?.content, {
        type: "text",
        text: "Summarize this in one sentence:\n\nHi.",
      });
    } finally {
      await close();
    }
  });

  test("progress streams on the POST's own response", async () => {
    const { client, close } = await v1Http(url());
    try {
      const seen: number[] = [];
      const result = await client.callTool(
        { name: "count_down", arguments: { from: 3 } },
        undefined,
        { onprogress: (progress) => seen.push(progress.progress) },
      );
      assert.equal(text(result), "Lift-off");
      assert.deepEqual(seen, [1, 2, 3]);
    } finally {
      await close();
    }
  });

  test("elicitation is refused with the reason: no session to carry the answer", async () => {
    const { client, close } = await v1Http(url(), {
      capabilities: { elicitation: {} },
      handlers: (c) =>
        c.setRequestHandler(ElicitRequestSchema, () => {
          throw new Error("a stateless legacy request must not ask the client");
        }),
    });
    try {
      const result = await client.callTool({ name: "greet_user", arguments: {} });
      assert.equal(result.isError, true);
      assert.match(text(result) ?? "", /stateless HTTP cannot receive the answer/);
    } finally {
      await close();
    }
  });
});

describe("2026-07-28 era, v2 client", () => {
  test("tools, progress, resource template and prompt", async () => {
    const { client, wire, close } = await v2Http(url(), { pin: "2026-07-28" });
    try {
      assert.ok(!wire.sent.some((message) => message.method === "initialize"));
      const { tools } = await client.listTools();
      assert.equal(tools.length, 4);
      assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 5 } })), "7");
      const seen: number[] = [];
      const counted = await client.callTool(
        { name: "count_down", arguments: { from: 2 } },
        { onprogress: (progress: { progress: number }) => seen.push(progress.progress) },
      );
      assert.equal(text(counted), "Lift-off");
      assert.deepEqual(seen, [1, 2]);
      const read = await client.readResource({ uri: "runtime://greetings/Bo" });
      assert.equal((read.contents[0] as { text?: string }).text, "Greetings, Bo.");
      const prompt = await client.getPrompt({ name: "summarize", arguments: { text: "Yo." } });
      assert.equal(prompt.messages.length, 1);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("elicitation by multi round-trip", async () => {
    const asked: string[] = [];
    const { client, wire, close } = await v2Http(
      url(),
      { pin: "2026-07-28" },
      {
        capabilities: { elicitation: {} },
        handlers: (c) =>
          c.setRequestHandler("elicitation/create", async (request) => {
            asked.push((request.params as { message: string }).message);
            return { action: "accept", content: { name: "Ada" } };
          }),
      },
    );
    try {
      const result = await client.callTool({ name: "greet_user", arguments: {} });
      assert.equal(text(result), "Hello, Ada!");
      assert.deepEqual(asked, ["What is your name?"]);
      const calls = wire.sent.filter((message) => message.method === "tools/call");
      assert.equal(calls.length, 2, "the answer came back in a second request");
    } finally {
      await close();
    }
  });

  test("a task runs to completion after its tools/call has answered (ctx.waitUntil)", async () => {
    const tasks = new TasksClient(url());
    const created = await tasks.start("brew", { steps: 3 });
    assert.equal(created.status, "working");
    const done = await tasks.settled(created.taskId);
    assert.equal(done.status, "completed");
    assert.equal(done.statusMessage, "Step 3/3", "each step's progress became the status message");
    assert.deepEqual(done.result?.content, [{ type: "text", text: "Brewed in 3 steps" }]);
  });

  describe("across two Workers that share only the secret", () => {
    let proxy: RoundRobinProxy;
    before(async () => {
      proxy = await roundRobinProxy(workers.map((worker) => Number(new URL(worker.origin).port)));
    });
    after(async () => {
      await proxy.close();
    });

    test("the round's answer is served by the other Worker", async () => {
      const { client, close } = await v2Http(
        proxy.url,
        { pin: "2026-07-28" },
        {
          capabilities: { elicitation: {} },
          handlers: (c) =>
            c.setRequestHandler("elicitation/create", async () => ({
              action: "accept",
              content: { name: "Cy" },
            })),
        },
      );
      try {
        const result = await client.callTool({ name: "greet_user", arguments: {} });
        assert.equal(text(result), "Hello, Cy!");
        const calls = proxy.log.filter((routed) => routed.rpc === "tools/call");
        assert.equal(calls.length, 2);
        assert.notEqual(
          calls[0]?.backend,
          calls[1]?.backend,
          "each round went to a different Worker",
        );
      } finally {
        await close();
      }
    });
  });
});
