/** The context examples, run through the official clients: v1 (legacy) and v2 pinned to 2026-07-28. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Client as V2Client } from "@modelcontextprotocol/client";
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { type Connected, v1InMemory, v1Stdio, v2InMemory, v2Stdio } from "../helpers/clients.ts";

type Result = Record<string, unknown>;
const text = (result: Result) => (result.content as { text?: string }[])[0]?.text;
const MODERN = { pin: "2026-07-28" } as const;

async function using<C>(
  connecting: Promise<Connected<C>>,
  body: (c: Connected<C>) => Promise<void>,
) {
  const connection = await connecting;
  try {
    await body(connection);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
}

const ANSWER = { action: "accept", content: { checkAlternative: true } };
const v1Elicit = (answer: object) => ({
  capabilities: { elicitation: {} },
  handlers: (client: V1Client) =>
    client.setRequestHandler(ElicitRequestSchema, () => answer as never),
});
const v2Elicit = (answer: object) => ({
  capabilities: { elicitation: {} },
  handlers: (client: V2Client) =>
    client.setRequestHandler("elicitation/create", () => answer as never),
});
const BOOK = {
  name: "book_table",
  arguments: { date: "2024-12-25", time: "19:00", party_size: 4 },
};

describe("elicitation.ts: book_table", () => {
  test("legacy, v1 client over stdio: the alternative date's default is applied", async () => {
    await using(v1Stdio("examples/elicitation.ts", v1Elicit(ANSWER)), async ({ client }) => {
      assert.equal(
        text((await client.callTool(BOOK)) as Result),
        "[SUCCESS] Booked for 2024-12-26 at 19:00",
      );
      const free = await client.callTool({
        ...BOOK,
        arguments: { ...BOOK.arguments, date: "2024-12-24" },
      });
      assert.equal(text(free as Result), "[SUCCESS] Booked for 2024-12-24 at 19:00");
    });
  });

  test("2026-07-28, v2 client over stdio: the same handler, in two rounds", async () => {
    await using(
      v2Stdio("examples/elicitation.ts", MODERN, v2Elicit(ANSWER)),
      async (connection) => {
        const result = await connection.client.callTool(BOOK);
        assert.equal(text(result as Result), "[SUCCESS] Booked for 2024-12-26 at 19:00");
        const calls = connection.wire.sent.filter((message) => message.method === "tools/call");
        assert.equal(calls.length, 2);
      },
    );
  });

  test("declined, and a client that cannot show forms", async () => {
    const { mcp } = await import("../../examples/elicitation.ts");
    await using(v2InMemory(mcp, MODERN, v2Elicit({ action: "decline" })), async ({ client }) => {
      assert.equal(text((await client.callTool(BOOK)) as Result), "[CANCELLED] Booking cancelled");
    });
    await using(v1InMemory(mcp), async ({ client }) => {
      assert.equal(
        text((await client.callTool(BOOK)) as Result),
        "[UNAVAILABLE] Fully booked on 2024-12-25",
      );
    });
  });
});

const POEM = { role: "assistant", content: { type: "text", text: "Roses are red." }, model: "m" };

describe("sampling.ts: generate_poem", () => {
  test("legacy, v1 client", async () => {
    const { mcp } = await import("../../examples/sampling.ts");
    let asked: Record<string, unknown> | undefined;
    await using(
      v1InMemory(mcp, {
        capabilities: { sampling: {} },
        handlers: (client) =>
          client.setRequestHandler(CreateMessageRequestSchema, (request) => {
            asked = request.params;
            return POEM as never;
          }),
      }),
      async ({ client }) => {
        const result = await client.callTool({
          name: "generate_poem",
          arguments: { topic: "roses" },
        });
        assert.equal(text(result as Result), "Roses are red.");
        assert.equal(asked?.maxTokens, 100);
        assert.equal(asked?.systemPrompt, "You are a poet. Answer with the poem only.");
      },
    );
  });

  test("2026-07-28, v2 client over stdio", async () => {
    await using(
      v2Stdio("examples/sampling.ts", MODERN, {
        capabilities: { sampling: {} },
        handlers: (client) =>
          client.setRequestHandler("sampling/createMessage", () => POEM as never),
      }),
      async ({ client }) => {
        const result = await client.callTool({
          name: "generate_poem",
          arguments: { topic: "roses" },
        });
        assert.equal(text(result as Result), "Roses are red.");
      },
    );
  });
});

const ROOTS = { roots: [{ uri: "file:///home/me/app", name: "App" }] };

describe("roots.ts: list_workspace", () => {
  test("legacy, v1 client over stdio", async () => {
    await using(
      v1Stdio("examples/roots.ts", {
        capabilities: { roots: {} },
        handlers: (client) => client.setRequestHandler(ListRootsRequestSchema, () => ROOTS),
      }),
      async ({ client }) => {
        const result = await client.callTool({ name: "list_workspace", arguments: {} });
        assert.equal(text(result as Result), "App: file:///home/me/app");
      },
    );
  });

  test("2026-07-28, v2 client", async () => {
    const { mcp } = await import("../../examples/roots.ts");
    await using(
      v2InMemory(mcp, MODERN, {
        capabilities: { roots: {} },
        handlers: (client) => client.setRequestHandler("roots/list", () => ({ roots: [] })),
      }),
      async ({ client }) => {
        const result = await client.callTool({ name: "list_workspace", arguments: {} });
        assert.equal(text(result as Result), "The client shares no folders.");
      },
    );
  });
});

describe("explicit-input.ts: delete_project", () => {
  test("2026-07-28: inputRequired() and the retry's ctx.inputResponses / ctx.inputState", async () => {
    const { mcp } = await import("../../examples/explicit-input.ts");
    const confirm = { action: "accept", content: { really: true } };
    await using(v2InMemory(mcp, MODERN, v2Elicit(confirm)), async ({ client }) => {
      const result = await client.callTool({
        name: "delete_project",
        arguments: { project: "demo" },
      });
      assert.match(text(result as Result) ?? "", /^Deleted demo \(confirmed; asked at \d{4}-/);
    });
  });

  test("legacy: refused, since only 2026-07-28 requests can carry it", async () => {
    const { mcp } = await import("../../examples/explicit-input.ts");
    await using(v1InMemory(mcp, v1Elicit({ action: "accept" })), async ({ client }) => {
      await assert.rejects(
        client.callTool({ name: "delete_project", arguments: { project: "demo" } }),
        /only 2026-07-28 requests can carry/,
      );
    });
  });
});

describe("context-tool.ts: long_task and log levels", () => {
  test("v2 client over stdio: logs at the requested level and five progress updates before the result", async () => {
    // The v2 client handles notifications a microtask after responses, and a
    // response drops its progress handler: updates read in the same chunk as
    // the result are lost. The server waits 15 ms after the last update, but a
    // client process starved of CPU for longer (a loaded CI machine) reads
    // them together anyway. A fresh server and client are tried up to three
    // times; a server that never sends the updates still fails every time.
    for (let attempt = 1; ; attempt++) {
      try {
        await longTaskOverStdio();
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  });

  async function longTaskOverStdio() {
    await using(v2Stdio("examples/context-tool.ts", MODERN), async ({ client }) => {
      const events: string[] = [];
      client.setNotificationHandler("notifications/message", (n) => {
        events.push(`${n.params.level}: ${String(n.params.data)}`);
      });
      const result = await client.callTool(
        {
          name: "long_task",
          arguments: { task_name: "build" },
          _meta: { "io.modelcontextprotocol/logLevel": "info" },
        },
        { onprogress: (p) => events.push(`progress ${p.progress}/${p.total} ${p.message}`) },
      );
      events.push(`result: ${text(result as Result)}`);
      assert.deepEqual(events, [
        "info: Starting: build",
        "progress 0.2/1 Step 1/5",
        "progress 0.4/1 Step 2/5",
        "progress 0.6/1 Step 3/5",
        "progress 0.8/1 Step 4/5",
        "progress 1/1 Step 5/5",
        "result: Completed: build",
      ]);
    });
  }

  test("v1 client in memory: the same with logging/setLevel", async () => {
    const { mcp } = await import("../../examples/context-tool.ts");
    await using(v1InMemory(mcp), async ({ client }) => {
      const levels: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        levels.push(n.params.level);
      });
      await client.setLoggingLevel("info");
      await client.callTool({ name: "long_task", arguments: { task_name: "x" } });
      assert.deepEqual(levels, ["info"], "debug is filtered out at info");
    });
  });
});
