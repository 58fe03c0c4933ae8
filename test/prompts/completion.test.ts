/** completion/complete: prompt arguments and template parameters, the 100-value cap, the capability, errors. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { FastMCP, type McpError } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { connectEra, ERAS, rpcError } from "../helpers/eras.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const NUMBERS = Array.from({ length: 150 }, (_, i) => `n${i}`);

function server(): FastMCP {
  const mcp = new FastMCP("Completions", { logger: silent });
  mcp.prompt(
    "pick",
    {
      args: { kind: z.string(), item: z.string(), free: z.string().optional() },
      complete: {
        kind: (value) => ["fruit", "vegetable"].filter((kind) => kind.startsWith(value)),
        item: (value, { arguments: given }, ctx) => {
          if (ctx.requestId === undefined) throw new Error("no context");
          const items = given.kind === "fruit" ? ["apple", "apricot"] : ["asparagus", "beet"];
          return items.filter((item) => item.startsWith(value));
        },
      },
    },
    ({ kind, item }) => `${kind}: ${item}`,
  );
  mcp.resource(
    "numbers://{n}/{unit}",
    {
      complete: {
        n: (value) => NUMBERS.filter((n) => n.startsWith(value)),
        unit: () => ({ values: ["m", "km"], total: 40, hasMore: true }),
      },
    },
    ({ n }) => n,
  );
  mcp.resource("fixed://x", () => "x");
  mcp.prompt(
    "broken",
    {
      args: { a: z.string() },
      complete: {
        a: () => {
          throw new Error("index offline");
        },
      },
    },
    () => "",
  );
  return mcp;
}

describe("completion/complete", () => {
  for (const era of ERAS) {
    test(`prompt arguments, with the arguments already given (${era})`, async () => {
      const connection = await connectEra(server(), era);
      const complete = (name: string, value: string, given?: Record<string, string>) =>
        connection.client.complete({
          ref: { type: "ref/prompt", name: "pick" },
          argument: { name, value },
          ...(given ? { context: { arguments: given } } : {}),
        });
      try {
        assert.deepEqual((await complete("kind", "f")).completion, {
          values: ["fruit"],
          total: 1,
          hasMore: false,
        });
        assert.deepEqual((await complete("item", "a", { kind: "fruit" })).completion.values, [
          "apple",
          "apricot",
        ]);
        assert.deepEqual((await complete("item", "a", { kind: "vegetable" })).completion.values, [
          "asparagus",
        ]);
        assert.deepEqual((await complete("free", "x")).completion, {
          values: [],
          total: 0,
          hasMore: false,
        });
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`template parameters: at most 100 values, with total and hasMore (${era})`, async () => {
      const connection = await connectEra(server(), era);
      const complete = (name: string, value: string) =>
        connection.client.complete({
          ref: { type: "ref/resource", uri: "numbers://{n}/{unit}" },
          argument: { name, value },
        });
      try {
        const many = (await complete("n", "")).completion;
        assert.equal(many.values.length, 100);
        assert.deepEqual(many.values.slice(0, 2), ["n0", "n1"]);
        assert.equal(many.total, 150);
        assert.equal(many.hasMore, true);
        const few = (await complete("n", "n14")).completion;
        assert.deepEqual(few, {
          values: [
            "n14",
            "n140",
            "n141",
            "n142",
            "n143",
            "n144",
            "n145",
            "n146",
            "n147",
            "n148",
            "n149",
          ],
          total: 11,
          hasMore: false,
        });
        assert.deepEqual((await complete("unit", "")).completion, {
          values: ["m", "km"],
          total: 40,
          hasMore: true,
        });
        const fixed = await connection.client.complete({
          ref: { type: "ref/resource", uri: "fixed://x" },
          argument: { name: "anything", value: "" },
        });
        assert.deepEqual(fixed.completion.values, []);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`unknown references are -32602; a failing completer is -32603 (${era})`, async () => {
      const connection = await connectEra(server(), era);
      try {
        const prompt = await rpcError(
          connection.client.complete({
            ref: { type: "ref/prompt", name: "nope" },
            argument: { name: "a", value: "" },
          }),
        );
        assert.equal(prompt.code, -32602);
        assert.match(prompt.message, /Unknown prompt: nope/);
        const template = await rpcError(
          connection.client.complete({
            ref: { type: "ref/resource", uri: "nope://{x}" },
            argument: { name: "x", value: "" },
          }),
        );
        assert.equal(template.code, -32602);
        assert.match(template.message, /Unknown resource template: nope:\/\/\{x\}/);
        const broken = await rpcError(
          connection.client.complete({
            ref: { type: "ref/prompt", name: "broken" },
            argument: { name: "a", value: "" },
          }),
        );
        assert.equal(broken.code, -32603);
        assert.match(broken.message, /Error completing "a": index offline/);
      } finally {
        await connection.close();
      }
    });
  }

  test("malformed requests are -32602 and say what is wrong", async () => {
    const client = await createTestClient(server());
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ref: { type: "ref/prompt", name: "pick" } }, /"argument" must be/],
      [{ ref: { type: "ref/other" }, argument: { name: "a", value: "" } }, /"ref.type" must be/],
      [{ ref: "pick", argument: { name: "a", value: "" } }, /"ref" must be an object/],
      [
        {
          ref: { type: "ref/prompt", name: "pick" },
          argument: { name: "kind", value: "" },
          context: { arguments: { kind: 1 } },
        },
        /"context.arguments" must map names to strings/,
      ],
    ];
    try {
      for (const [params, message] of bad) {
        await assert.rejects(client.request("completion/complete", params), (error) => {
          assert.equal((error as McpError).code, -32602);
          assert.match((error as McpError).message, message);
          return true;
        });
      }
    } finally {
      await client.close();
    }
  });
});

describe("the completions capability", () => {
  test("is advertised only while a completer exists; without one the method is -32601", async () => {
    const mcp = new FastMCP("NoCompleters");
    mcp.prompt("p", { args: { a: z.string() } }, () => "");
    const p = mcp.getPrompt("p");
    for (const era of ERAS) {
      const connection = await connectEra(mcp, era);
      try {
        assert.equal(connection.client.getServerCapabilities()?.completions, undefined);
      } finally {
        await connection.close();
      }
    }
    const client = await createTestClient(mcp);
    try {
      await assert.rejects(
        client.request("completion/complete", {
          ref: { type: "ref/prompt", name: "p" },
          argument: { name: "a", value: "" },
        }),
        (error) => {
          assert.equal((error as McpError).code, -32601);
          return true;
        },
      );
      p?.update({ complete: { a: () => ["yes"] } });
      const later = await createTestClient(mcp);
      assert.deepEqual(later.capabilities.completions, {});
      await later.close();
    } finally {
      await client.close();
    }
  });
});
