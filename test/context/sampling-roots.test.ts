/** ctx.sample and ctx.listRoots with the official clients, in both eras. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { ClientCapabilityError, FastMCP } from "../../src/index.ts";
import { connectAnswering, ERAS, text, toolCalls } from "../helpers/asks.ts";

function server() {
  const mcp = new FastMCP("Sampling", { requestStateSecret: "a test secret of enough length" });
  mcp.tool("summarize", { input: { topic: z.string() } }, async ({ topic }, ctx) => {
    const answer = await ctx.sample(`Summarize ${topic}`, {
      systemPrompt: "Be brief.",
      maxTokens: 50,
      temperature: 0.2,
      modelPreferences: ["claude", "gpt"],
    });
    return `${answer.model}: ${answer.text}`;
  });
  mcp.tool("conversation", async (_args, ctx) => {
    const answer = await ctx.sample([
      "Hi",
      { role: "assistant", content: { type: "text", text: "Hello!" } },
      "What is 2+2?",
    ]);
    return answer.text;
  });
  mcp.tool("with_tools", async (_args, ctx) => {
    try {
      const answer = await ctx.sample("Weather in Paris?", {
        tools: [{ name: "weather", inputSchema: { type: "object", properties: {} } }],
        toolChoice: { mode: "auto" },
      });
      return `${answer.stopReason}`;
    } catch (error) {
      if (error instanceof ClientCapabilityError) return `no tools: ${error.message}`;
      throw error;
    }
  });
  mcp.tool("workspace", async (_args, ctx) => {
    const roots = await ctx.listRoots();
    return roots.map((root) => `${root.name ?? "?"}=${root.uri}`).join(", ");
  });
  mcp.tool("everything", async (_args, ctx) => {
    // Asked in parallel: one round carries both in 2026-07-28.
    const [roots, answer] = await Promise.all([ctx.listRoots(), ctx.sample("Pick one")]);
    return `${roots.length} roots, ${answer.text}`;
  });
  return mcp;
}

const MODEL_ANSWER = {
  role: "assistant",
  content: { type: "text", text: "Short." },
  model: "test-model",
  stopReason: "endTurn",
};
const ROOTS = { roots: [{ uri: "file:///work/app", name: "App" }, { uri: "file:///work/lib" }] };

for (const era of ERAS) {
  describe(`ctx.sample and ctx.listRoots, ${era}`, () => {
    const modern = era.startsWith("2026");

    test("sample: the client's model answers; options reach it", async () => {
      const connection = await connectAnswering(era, server(), { sample: () => MODEL_ANSWER });
      try {
        assert.equal(
          text(await connection.call("summarize", { topic: "MCP" })),
          "test-model: Short.",
        );
        assert.deepEqual(connection.asked[0], {
          method: "sampling/createMessage",
          params: {
            messages: [{ role: "user", content: { type: "text", text: "Summarize MCP" } }],
            maxTokens: 50,
            systemPrompt: "Be brief.",
            temperature: 0.2,
            modelPreferences: { hints: [{ name: "claude" }, { name: "gpt" }] },
          },
        });
        assert.equal(text(await connection.call("conversation")), "Short.");
        const messages = connection.asked[1]?.params.messages as { role: string }[];
        assert.deepEqual(
          messages.map((message) => message.role),
          ["user", "assistant", "user"],
        );
        assert.equal(connection.asked[1]?.params.maxTokens, 512, "the default maxTokens");
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test("sample with tools needs sampling.tools", async () => {
      const withTools = await connectAnswering(era, server(), {
        sample: () => ({
          ...MODEL_ANSWER,
          stopReason: "toolUse",
          content: [{ type: "tool_use", id: "t1", name: "weather", input: {} }],
        }),
      });
      try {
        assert.equal(text(await withTools.call("with_tools")), "toolUse");
        assert.deepEqual(withTools.asked[0]?.params.tools, [
          { name: "weather", inputSchema: { type: "object", properties: {} } },
        ]);
      } finally {
        await withTools.close();
      }
      const without = await connectAnswering(era, server(), {
        sample: () => MODEL_ANSWER,
        capabilities: { sampling: {} },
      });
      try {
        assert.match(text(await without.call("with_tools")) ?? "", /^no tools: .*sampling\.tools/);
        assert.deepEqual(without.asked, []);
      } finally {
        await without.close();
      }
    });

    test("listRoots: the client's roots; without the capability, -32021", async () => {
      const connection = await connectAnswering(era, server(), { roots: () => ROOTS });
      try {
        assert.equal(
          text(await connection.call("workspace")),
          "App=file:///work/app, ?=file:///work/lib",
        );
        assert.deepEqual(connection.asked, [{ method: "roots/list", params: {} }]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
      const without = await connectAnswering(era, server(), { sample: () => MODEL_ANSWER });
      try {
        await assert.rejects(
          without.call("workspace"),
          (error: { code?: number; data?: unknown }) => {
            assert.equal(error.code, -32021);
            assert.deepEqual(error.data, { requiredCapabilities: { roots: {} } });
            return true;
          },
        );
      } finally {
        await without.close();
      }
    });

    test("asks made in parallel are answered together", async () => {
      const connection = await connectAnswering(era, server(), {
        roots: () => ROOTS,
        sample: () => MODEL_ANSWER,
      });
      try {
        assert.equal(text(await connection.call("everything")), "2 roots, Short.");
        assert.deepEqual(connection.asked.map((ask) => ask.method).sort(), [
          "roots/list",
          "sampling/createMessage",
        ]);
        if (modern) {
          const calls = toolCalls(connection);
          assert.equal(calls.length, 2, "both asks in one round");
          const retry = calls[1]?.params as { inputResponses: object };
          assert.deepEqual(Object.keys(retry.inputResponses).sort(), ["roots-1", "sample-2"]);
        }
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });
  });
}
