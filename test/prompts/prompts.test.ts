/** Prompts: listing by version, argument validation, what handlers return, errors and handles. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as v from "valibot";
import { z } from "zod";
import { FastMCP, Image, type McpError } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { connectEra, ERAS, rpcError } from "../helpers/eras.ts";
import { validateWire } from "../helpers/wire.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function server(): FastMCP {
  const mcp = new FastMCP("Prompts", { logger: silent });
  mcp.prompt(
    "typed",
    {
      title: "Typed arguments",
      description: "Every kind of argument.",
      args: {
        topic: z.string().describe("What to write about"),
        count: z.number().int().min(1),
        loud: z.boolean().default(false),
        tags: z.array(z.string()).optional(),
      },
      icons: [{ src: "https://example.com/p.png" }],
      meta: { "example.com/x": 1 },
    },
    ({ topic, count, loud, tags }) =>
      `${loud ? "WRITE" : "write"} ${count} about ${topic}${tags ? ` [${tags.join(",")}]` : ""}`,
  );
  mcp.prompt("conversation", () => [
    "first user text",
    { role: "assistant", content: "an assistant reply" },
    { role: "user", content: { type: "text", text: "a block" } },
    new Image({ data: new Uint8Array([1, 2]), format: "png" }),
    { type: "audio", data: "AAA=", mimeType: "audio/wav" },
    {
      type: "resource",
      resource: { uri: "file:///notes.txt", mimeType: "text/plain", text: "notes" },
    },
    { type: "resource_link", uri: "file:///big.csv", name: "big.csv" },
  ]);
  mcp.prompt("single-message", () => ({ role: "assistant", content: "only me" }));
  mcp.prompt("data", () => [{ some: "data" }] as never);
  mcp.prompt("fails", () => {
    throw new Error("template missing");
  });
  mcp.prompt("nothing", () => undefined as never);
  return mcp;
}

describe("prompts/list", () => {
  test("arguments carry descriptions, required flags and a JSON hint for non-string types", async () => {
    const client = await createTestClient(server());
    try {
      const { prompts } = await client.request("prompts/list");
      const typed = (prompts as Record<string, unknown>[])[0];
      assert.deepEqual(typed, {
        name: "typed",
        title: "Typed arguments",
        description: "Every kind of argument.",
        arguments: [
          { name: "topic", description: "What to write about", required: true },
          {
            name: "count",
            description:
              'Provide as a JSON string matching the following schema: {"type":"integer","minimum":1}',
            required: true,
          },
          {
            name: "loud",
            description:
              'Provide as a JSON string matching the following schema: {"default":false,"type":"boolean"}',
            required: false,
          },
          {
            name: "tags",
            description:
              'Provide as a JSON string matching the following schema: {"type":"array","items":{"type":"string"}}',
            required: false,
          },
        ],
        icons: [{ src: "https://example.com/p.png" }],
        _meta: { "example.com/x": 1 },
      });
      assert.deepEqual(
        (prompts as { name: string }[]).map((prompt) => prompt.name),
        ["typed", "conversation", "single-message", "data", "fails", "nothing"],
      );
    } finally {
      await client.close();
    }
  });

  test("older versions get only the fields they define", async () => {
    for (const version of ["2024-11-05", "2025-06-18"] as const) {
      const client = await createTestClient(server(), { protocolVersion: version });
      try {
        const result = await client.request("prompts/list");
        const typed = (result.prompts as Record<string, unknown>[])[0] ?? {};
        assert.equal(typed.icons, undefined, `${version}: icons arrived in 2025-11-25`);
        assert.equal(
          typed.title === undefined,
          version === "2024-11-05",
          `${version}: title arrived in 2025-06-18`,
        );
        assert.deepEqual(validateWire(version, "ListPromptsResult", result), []);
      } finally {
        await client.close();
      }
    }
  });
});

describe("prompts/get", () => {
  for (const era of ERAS) {
    test(`arguments arrive as strings and are parsed to their types (${era})`, async () => {
      const connection = await connectEra(server(), era);
      try {
        const result = await connection.client.getPrompt({
          name: "typed",
          arguments: { topic: "owls", count: "3", loud: "true", tags: '["a","b"]' },
        });
        assert.deepEqual(result.messages, [
          { role: "user", content: { type: "text", text: "WRITE 3 about owls [a,b]" } },
        ]);
        assert.equal(result.description, "Every kind of argument.");
        const defaults = await connection.client.getPrompt({
          name: "typed",
          arguments: { topic: "owls", count: "1" },
        });
        assert.equal(
          (defaults.messages[0]?.content as { text?: string } | undefined)?.text,
          "write 1 about owls",
        );
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`missing, invalid and unknown are -32602 naming the culprit (${era})`, async () => {
      const connection = await connectEra(server(), era);
      const get = (name: string, args?: Record<string, string>) =>
        rpcError(connection.client.getPrompt({ name, arguments: args }));
      try {
        const missing = await get("typed", { topic: "x" });
        assert.equal(missing.code, -32602);
        assert.match(missing.message, /Missing required argument for prompt "typed": count/);
        const both = await get("typed", {});
        assert.match(both.message, /Missing required arguments for prompt "typed": topic, count/);
        const invalid = await get("typed", { topic: "x", count: "0" });
        assert.equal(invalid.code, -32602);
        assert.match(invalid.message, /Invalid arguments for prompt "typed": count: /);
        const notJson = await get("typed", { topic: "x", count: "three" });
        assert.match(notJson.message, /count: .*expected number/);
        const unknown = await get("nope");
        assert.equal(unknown.code, -32602);
        assert.match(unknown.message, /Unknown prompt: nope/);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`every kind of message and content block (${era})`, async () => {
      const connection = await connectEra(server(), era);
      try {
        const { messages } = await connection.client.getPrompt({ name: "conversation" });
        assert.deepEqual(messages, [
          { role: "user", content: { type: "text", text: "first user text" } },
          { role: "assistant", content: { type: "text", text: "an assistant reply" } },
          { role: "user", content: { type: "text", text: "a block" } },
          { role: "user", content: { type: "image", data: "AQI=", mimeType: "image/png" } },
          { role: "user", content: { type: "audio", data: "AAA=", mimeType: "audio/wav" } },
          {
            role: "user",
            content: {
              type: "resource",
              resource: { uri: "file:///notes.txt", mimeType: "text/plain", text: "notes" },
            },
          },
          {
            role: "user",
            content: { type: "resource_link", uri: "file:///big.csv", name: "big.csv" },
          },
        ]);
        const single = await connection.client.getPrompt({ name: "single-message" });
        assert.deepEqual(single.messages, [
          { role: "assistant", content: { type: "text", text: "only me" } },
        ]);
        const data = await connection.client.getPrompt({ name: "data" });
        assert.deepEqual(data.messages, [
          { role: "user", content: { type: "text", text: '{"some":"data"}' } },
        ]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`a failing handler is -32603 with its message (${era})`, async () => {
      const connection = await connectEra(server(), era);
      try {
        const failed = await rpcError(connection.client.getPrompt({ name: "fails" }));
        assert.equal(failed.code, -32603);
        assert.match(failed.message, /Error rendering prompt fails: template missing/);
        const nothing = await rpcError(connection.client.getPrompt({ name: "nothing" }));
        assert.equal(nothing.code, -32603);
        assert.match(nothing.message, /returned nothing/);
      } finally {
        await connection.close();
      }
    });
  }

  test("older clients get links and audio as text, so every message is valid for them", async () => {
    for (const version of ["2024-11-05", "2025-03-26"] as const) {
      const client = await createTestClient(server(), { protocolVersion: version });
      try {
        const result = await client.request("prompts/get", { name: "conversation" });
        const messages = result.messages as { content: Record<string, unknown> }[];
        assert.deepEqual(messages.at(-1)?.content, {
          type: "text",
          text: "big.csv: file:///big.csv",
        });
        assert.equal(messages[4]?.content.type, version === "2024-11-05" ? "text" : "audio");
        assert.deepEqual(validateWire(version, "GetPromptResult", result), []);
      } finally {
        await client.close();
      }
    }
  });

  test("arguments must be an object; maskErrorDetails hides failures", async () => {
    const mcp = new FastMCP("Masked", { maskErrorDetails: true, logger: silent });
    mcp.prompt("fails", () => {
      throw new Error("secret");
    });
    const client = await createTestClient(mcp);
    try {
      await assert.rejects(
        client.request("prompts/get", { name: "fails", arguments: "x" }),
        /"arguments" must be an object/,
      );
      await assert.rejects(client.request("prompts/get", { name: "fails" }), (error) => {
        assert.equal((error as McpError).message, "Error rendering prompt fails");
        return true;
      });
    } finally {
      await client.close();
    }
  });

  test("valibot arguments work once their JSON Schema is converted", async () => {
    const mcp = new FastMCP("Valibot");
    mcp.prompt(
      "v",
      { args: { name: v.pipe(v.string(), v.description("Who")) } },
      ({ name }) => `hi ${name}`,
    );
    const client = await createTestClient(mcp);
    try {
      const { prompts } = await client.request("prompts/list");
      assert.deepEqual((prompts as { arguments: unknown }[])[0]?.arguments, [
        { name: "name", description: "Who", required: true },
      ]);
      assert.deepEqual(await mcp.renderPrompt("v", { name: "Bo" }), {
        messages: [{ role: "user", content: { type: "text", text: "hi Bo" } }],
      });
    } finally {
      await client.close();
    }
  });
});

describe("registration and handles", () => {
  test("args must be a shape; completers must name arguments", () => {
    const mcp = new FastMCP("Bad");
    assert.throws(
      () => mcp.prompt("p", { args: z.object({ a: z.string() }) as never }, () => ""),
      /args must be a shape of Standard Schemas/,
    );
    assert.throws(
      () =>
        mcp.prompt(
          "p",
          // @ts-expect-error "b" is not an argument
          { args: { a: z.string() }, complete: { b: () => [] } },
          () => "",
        ),
      /cannot complete "b"/,
    );
    mcp.prompt("p", () => "");
    assert.throws(() => mcp.prompt("p", () => ""), /Prompt "p" is already registered/);
    assert.throws(() => mcp.prompt("", () => ""), /non-empty name/);
  });

  test("disable, update and remove; mcp.renderPrompt renders without a client", async () => {
    const mcp = new FastMCP("Handles");
    const greet = mcp.prompt("greet", { args: { name: z.string() } }, ({ name }) => `hi ${name}`);
    assert.equal(greet.name, "greet");
    assert.deepEqual((await mcp.renderPrompt("greet", { name: "Al" })).messages, [
      { role: "user", content: { type: "text", text: "hi Al" } },
    ]);
    greet.disable();
    await assert.rejects(mcp.renderPrompt("greet", { name: "Al" }), /Unknown prompt: greet/);
    greet.enable();
    greet.update({
      description: "Greets.",
      handler: ({ name }: { name: string }) => `hello ${name}`,
    });
    const rendered = await mcp.renderPrompt("greet", { name: "Al" });
    assert.equal(rendered.description, "Greets.");
    assert.deepEqual(rendered.messages[0]?.content, { type: "text", text: "hello Al" });
    assert.equal(mcp.getPrompt("greet")?.enabled, true);
    greet.remove();
    assert.equal(mcp.getPrompt("greet"), undefined);
    assert.throws(() => greet.disable(), /Prompt "greet" has been removed/);
  });
});
