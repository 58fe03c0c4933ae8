/**
 * `inputRequired()` returned or thrown from a prompt or a resource handler
 * (static and templated), as from a tool: a 2026-07-28 `input_required`
 * result, and in the legacy era the same -32603 error a tool gets.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { type Context, FastMCP, type InputRequired, inputRequired } from "../../src/index.ts";
import { connectAnswering } from "../helpers/asks.ts";
import { v1InMemory } from "../helpers/clients.ts";
import { rpcError } from "../helpers/eras.ts";

const ASK = {
  user_context: {
    method: "elicitation/create",
    params: {
      mode: "form",
      message: "What context should it use?",
      requestedSchema: {
        type: "object",
        properties: { context: { type: "string" } },
        required: ["context"],
      },
    },
  },
} as const;

type How = "returned" | "thrown";
const HOWS: readonly How[] = ["returned", "thrown"];

/** The answer the retry carries, or an `inputRequired` to return or throw for the first round. */
function answerOr(ctx: Context, how: How, what: string): string | InputRequired {
  const answer = ctx.inputResponses?.user_context as { content?: { context?: string } } | undefined;
  if (answer?.content?.context !== undefined) {
    return `${what} with ${answer.content.context} (state ${JSON.stringify(ctx.inputState)})`;
  }
  const asking = inputRequired({ inputRequests: ASK, state: { how } });
  if (how === "thrown") throw asking;
  return asking;
}

interface Logged {
  level: string;
  message: string;
}

function server(logged: Logged[]) {
  const log = (level: string) => (message: string) => logged.push({ level, message });
  const mcp = new FastMCP("Explicit", {
    requestStateSecret: "a test secret of enough length",
    logger: { debug() {}, info() {}, warn: log("warn"), error: log("error") },
  });
  for (const how of HOWS) {
    // The handlers' return types admit InputRequired, as a tool's does.
    mcp.tool(`${how}_tool`, async (_args, ctx) => answerOr(ctx, how, "tool"));
    mcp.prompt(`${how}_prompt`, async (_args, ctx) => answerOr(ctx, how, "prompt"));
    mcp.resource(`test://${how}/static`, async (_params, ctx) => answerOr(ctx, how, "static"));
    mcp.resource(`test://${how}/item/{id}`, async ({ id }, ctx) =>
      answerOr(ctx, how, `item ${id}`),
    );
  }
  // An ask in a prompt or resource handler ends the round the same way.
  mcp.prompt("asking_prompt", async (_args, ctx) => {
    const answer = await ctx.elicit("What context should it use?", { context: z.string() });
    return answer.action === "accept" ? `asked: ${answer.content.context}` : answer.action;
  });
  mcp.resource("test://asking/{id}", async ({ id }, ctx) => {
    const answer = await ctx.elicit("What context should it use?", { context: z.string() });
    return answer.action === "accept" ? `${id} asked: ${answer.content.context}` : answer.action;
  });
  return mcp;
}

const answering = {
  elicit: () => ({ action: "accept", content: { context: "the answer" } }),
};

describe("2026-07-28 (v2 client): input_required from prompts and resources", () => {
  for (const how of HOWS) {
    test(`an inputRequired() ${how} by a prompt asks the client, and the retry completes`, async () => {
      const logged: Logged[] = [];
      const connection = await connectAnswering(
        "2026-07-28 (v2 client)",
        server(logged),
        answering,
      );
      try {
        const result = await connection.client.getPrompt({ name: `${how}_prompt` });
        assert.deepEqual(result.messages, [
          {
            role: "user",
            content: { type: "text", text: `prompt with the answer (state {"how":"${how}"})` },
          },
        ]);
        assertOneRound(connection, "prompts/get");
        assert.deepEqual(logged, []);
      } finally {
        await connection.close();
      }
    });

    test(`an inputRequired() ${how} by a static or templated resource asks the client, and the retry completes`, async () => {
      const logged: Logged[] = [];
      const connection = await connectAnswering(
        "2026-07-28 (v2 client)",
        server(logged),
        answering,
      );
      try {
        for (const [uri, text] of [
          [`test://${how}/static`, "static"],
          [`test://${how}/item/7`, "item 7"],
        ] as const) {
          const result = await connection.client.readResource({ uri });
          assert.deepEqual(result.contents, [
            {
              uri,
              mimeType: "text/plain",
              text: `${text} with the answer (state {"how":"${how}"})`,
            },
          ]);
        }
        assertOneRound(connection, "resources/read", 2);
        assert.deepEqual(logged, []);
      } finally {
        await connection.close();
      }
    });
  }

  test("ctx.elicit in a prompt or resource ends its round without logging an error", async () => {
    const logged: Logged[] = [];
    const connection = await connectAnswering("2026-07-28 (v2 client)", server(logged), answering);
    try {
      const prompt = await connection.client.getPrompt({ name: "asking_prompt" });
      assert.deepEqual(prompt.messages, [
        { role: "user", content: { type: "text", text: "asked: the answer" } },
      ]);
      const read = await connection.client.readResource({ uri: "test://asking/3" });
      assert.deepEqual(read.contents, [
        { uri: "test://asking/3", mimeType: "text/plain", text: "3 asked: the answer" },
      ]);
      assert.equal(connection.asked.length, 2);
      assert.deepEqual(logged, []);
    } finally {
      await connection.close();
    }
  });
});

/** Each read or get went out twice (the first answered input_required) and the client was asked once per read. */
function assertOneRound(
  connection: Awaited<ReturnType<typeof connectAnswering>>,
  method: string,
  reads = 1,
) {
  const sent = connection.wire.sent.filter((message) => message.method === method);
  assert.equal(sent.length, 2 * reads);
  for (const [index, message] of sent.entries()) {
    const params = message.params as Record<string, unknown>;
    assert.equal(params.requestState !== undefined, index % 2 === 1);
  }
  const first = connection.wire.received.find((message) => message.id === sent[0]?.id);
  const result = first?.result as Record<string, unknown>;
  assert.equal(result.resultType, "input_required");
  assert.deepEqual(result.inputRequests, ASK);
  assert.deepEqual(
    connection.asked.map((ask) => ask.params.message),
    Array(reads).fill("What context should it use?"),
  );
  assert.deepEqual(connection.wire.problems(), []);
}

describe("legacy era (v1 client): the same error a tool gets", () => {
  for (const how of HOWS) {
    test(`an inputRequired() ${how} by a prompt or resource is refused like a tool's`, async () => {
      const logged: Logged[] = [];
      const { client, close } = await v1InMemory(server(logged));
      try {
        const tool = await rpcError(client.callTool({ name: `${how}_tool`, arguments: {} }));
        assert.equal(tool.code, -32603);
        assert.match(tool.message, /only 2026-07-28 requests can carry/);
        const refused = [
          await rpcError(client.getPrompt({ name: `${how}_prompt` })),
          await rpcError(client.readResource({ uri: `test://${how}/static` })),
          await rpcError(client.readResource({ uri: `test://${how}/item/7` })),
        ];
        for (const error of refused) {
          assert.deepEqual(
            { code: error.code, message: error.message, data: error.data },
            {
              code: tool.code,
              message: tool.message,
              data: tool.data,
            },
          );
        }
        // A warning per refusal, as for the tool; nothing is logged as the handler failing.
        assert.deepEqual(
          logged.map((entry) => entry.level),
          ["warn", "warn", "warn", "warn"],
        );
      } finally {
        await close();
      }
    });
  }
});
