/** ctx.elicit with the official clients, in the legacy era (server-to-client requests) and 2026-07-28 (rounds). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { ClientCapabilityError, FastMCP, InvalidClientResponseError } from "../../src/index.ts";
import { connectAnswering, ERAS, type Script, text, toolCalls } from "../helpers/asks.ts";

const Booking = { name: z.string().min(1), seats: z.number().int().min(1).default(2) };

/** The deprecated titled-enum form (enum + enumNames), written by hand. */
const SizeForm = {
  type: "object",
  properties: {
    size: { type: "string", enum: ["s", "m"], enumNames: ["Small", "Medium"], default: "m" },
    fit: { type: "string", enum: ["slim", "loose"], enumNames: ["Slim"] },
  },
  required: ["size"],
} as const;

function server() {
  const mcp = new FastMCP("Elicit", { requestStateSecret: "a test secret of enough length" });
  mcp.tool("book", { input: { date: z.string() } }, async ({ date }, ctx) => {
    const answer = await ctx.elicit(`Who is booking for ${date}?`, Booking);
    if (answer.action !== "accept") return `not booked: ${answer.action}`;
    const { name, seats } = answer.content; // typed: { name: string; seats: number }
    return `${name} booked ${seats} seats on ${date}`;
  });
  mcp.tool("book_and_confirm", async (_args, ctx) => {
    const who = await ctx.elicit("Who?", Booking);
    if (who.action !== "accept") return who.action;
    const sure = await ctx.elicit(`Book for ${who.content.name}?`, ["yes", "no"] as const);
    if (sure.action !== "accept") return sure.action;
    const choice: "yes" | "no" = sure.content; // typed from the list of choices
    return `${who.content.name}: ${choice}`;
  });
  mcp.tool("strict", async (_args, ctx) => {
    try {
      const answer = await ctx.elicit("How many?", { count: z.number().int().max(10) });
      return answer.action === "accept" ? `count ${answer.content.count}` : answer.action;
    } catch (error) {
      if (error instanceof InvalidClientResponseError) return `invalid: ${error.message}`;
      throw error;
    }
  });
  mcp.tool("strict_uncaught", async (_args, ctx) => {
    const answer = await ctx.elicit("How many?", { count: z.number().int().max(10) });
    return answer.action;
  });
  mcp.tool("polite", async (_args, ctx) => {
    try {
      await ctx.elicit("Name?", { name: z.string() });
      return "asked";
    } catch (error) {
      if (error instanceof ClientCapabilityError) return `fallback: ${error.message}`;
      throw error;
    }
  });
  mcp.tool("pushy", async (_args, ctx) => {
    await ctx.elicit("Name?", { name: z.string() });
    return "asked";
  });
  mcp.tool("pick_size", async (_args, ctx) => {
    const answer = await ctx.elicit("Which size?", SizeForm);
    return answer.action === "accept" ? `size ${String(answer.content.size)}` : answer.action;
  });
  mcp.tool("connect_account", async (_args, ctx) => {
    const answer = await ctx.elicitUrl("Connect your account", "https://example.com/connect?x=1");
    return answer.action;
  });
  return mcp;
}

const accept =
  (content: Record<string, unknown>): Script["elicit"] =>
  () => ({ action: "accept", content });

for (const era of ERAS) {
  describe(`ctx.elicit, ${era}`, () => {
    const modern = era.startsWith("2026");

    test("accepted: content is validated, defaults applied, and the form is what the client sees", async () => {
      const connection = await connectAnswering(era, server(), { elicit: accept({ name: "Ann" }) });
      try {
        const result = await connection.call("book", { date: "May 1" });
        assert.equal(text(result), "Ann booked 2 seats on May 1");
        assert.deepEqual(connection.asked, [
          {
            method: "elicitation/create",
            params: {
              mode: "form",
              message: "Who is booking for May 1?",
              requestedSchema: {
                type: "object",
                properties: {
                  name: { type: "string", minLength: 1 },
                  seats: { type: "integer", minimum: 1, default: 2 },
                },
                required: ["name"],
              },
            },
          },
        ]);
        assert.equal(toolCalls(connection).length, modern ? 2 : 1, "one retry in 2026-07-28");
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    for (const action of ["decline", "cancel"] as const) {
      test(`${action === "decline" ? "declined" : "cancelled"}: the handler gets the action and no content`, async () => {
        const connection = await connectAnswering(era, server(), { elicit: () => ({ action }) });
        try {
          const result = await connection.call("book", { date: "May 2" });
          assert.equal(text(result), `not booked: ${action}`);
          assert.deepEqual(connection.wire.problems(), []);
        } finally {
          await connection.close();
        }
      });
    }

    test("invalid content: a catchable InvalidClientResponseError; uncaught, a -32602 error", async () => {
      const connection = await connectAnswering(era, server(), { elicit: accept({ count: 99 }) });
      try {
        const caught = await connection.call("strict");
        assert.match(text(caught) ?? "", /^invalid: .*count: Too big/);
        await assert.rejects(connection.call("strict_uncaught"), (error: { code?: number }) => {
          assert.equal(error.code, -32602);
          assert.match(String(error), /does not fit the form: count/);
          return true;
        });
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test("a handler that elicits twice continues where it stopped", async () => {
      let asks = 0;
      const connection = await connectAnswering(era, server(), {
        elicit: (params) => {
          asks += 1;
          return params.message === "Who?"
            ? { action: "accept", content: { name: "Bo", seats: 3 } }
            : { action: "accept", content: { value: "yes" } };
        },
      });
      try {
        const result = await connection.call("book_and_confirm");
        assert.equal(text(result), "Bo: yes");
        assert.equal(asks, 2, "each question is asked once, in every era");
        const calls = toolCalls(connection);
        if (modern) {
          assert.equal(calls.length, 3);
          const third = calls[2]?.params as Record<string, unknown>;
          assert.deepEqual(Object.keys(third.inputResponses as object), ["elicit-2"]);
          assert.equal(typeof third.requestState, "string");
        } else assert.equal(calls.length, 1);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test("a client without the elicitation capability is never asked", async () => {
      const connection = await connectAnswering(era, server(), { sample: () => ({}) });
      try {
        const result = await connection.call("polite");
        assert.match(text(result) ?? "", /^fallback: The client did not declare the elicitation/);
        await assert.rejects(
          connection.call("pushy"),
          (error: { code?: number; data?: unknown }) => {
            assert.equal(error.code, -32021);
            assert.deepEqual(error.data, { requiredCapabilities: { elicitation: {} } });
            return true;
          },
        );
        assert.deepEqual(connection.asked, []);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test("a titled enum written as enum + enumNames is sent as written", async () => {
      const connection = await connectAnswering(era, server(), {
        elicit: accept({ size: "s" }),
      });
      try {
        assert.equal(text(await connection.call("pick_size")), "size s");
        const params = connection.asked[0]?.params as { requestedSchema: unknown };
        assert.deepEqual(params.requestedSchema, {
          type: "object",
          properties: {
            // Valid in every version (LegacyTitledEnumSchema): not rewritten into oneOf.
            size: {
              type: "string",
              enum: ["s", "m"],
              enumNames: ["Small", "Medium"],
              default: "m",
            },
            // enumNames that do not name every value are not that form: titles go through oneOf.
            fit: {
              type: "string",
              oneOf: [
                { const: "slim", title: "Slim" },
                { const: "loose", title: "loose" },
              ],
            },
          },
          required: ["size"],
        });
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test("URL mode needs elicitation.url and reports the user's consent", async () => {
      const connection = await connectAnswering(era, server(), {
        elicit: () => ({ action: "accept" }),
      });
      try {
        assert.equal(text(await connection.call("connect_account")), "accept");
        const params = connection.asked[0]?.params as Record<string, unknown>;
        assert.equal(params.mode, "url");
        assert.equal(params.url, "https://example.com/connect?x=1");
        assert.equal(typeof params.elicitationId, modern ? "undefined" : "string");
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
      const formOnly = await connectAnswering(era, server(), {
        elicit: () => ({ action: "accept" }),
        capabilities: { elicitation: {} },
      });
      try {
        await assert.rejects(formOnly.call("connect_account"), (error: { data?: unknown }) => {
          assert.deepEqual(error.data, { requiredCapabilities: { elicitation: { url: {} } } });
          return true;
        });
      } finally {
        await formOnly.close();
      }
    });
  });
}
