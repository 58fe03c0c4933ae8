/**
 * Mistakes a newcomer makes under `npx tsx` (which does not type-check) are
 * refused at registration with an error that names the component, the key and
 * what to write, instead of a tool that silently drops its arguments.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { v1InMemory } from "../helpers/clients.ts";

/** Options the type checker would refuse, as a JavaScript or tsx user can still write them. */
const loose = (value: unknown) => value as never;
const add = ({ a, b }: { a: number; b: number }) => a + b;

test("inputSchema (the official SDK's name) is refused, and input suggested", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("add", loose({ inputSchema: { a: z.number(), b: z.number() } }), loose(add)),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(
        error.message,
        /^Tool "add": unknown option "inputSchema"; did you mean "input"\?/,
      );
      assert.match(error.message, /known options: description, title, input, output, /);
      return true;
    },
  );
  assert.equal(mcp.getTool("add"), undefined, "nothing was registered");
});

test("an argument shape not wrapped in input: names the arguments and shows the wrapping", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("add", loose({ a: z.number(), b: z.number() }), loose(add)),
    /^TypeError: Tool "add": "a", "b" are schemas among the options; put the arguments under input: \{ input: \{ a, b \} \}$/,
  );
  assert.throws(
    () => mcp.prompt("greet", loose({ name: z.string() }), () => "hi"),
    /^TypeError: Prompt "greet": "name" is a schema among the options; put the arguments under args: \{ args: \{ name \} \}$/,
  );
});

test("prompts, resources and templates refuse unknown keys too", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.prompt("p", loose({ arguments: { topic: z.string() } }), () => "x"),
    /^TypeError: Prompt "p": unknown option "arguments"; did you mean "args"\?/,
  );
  assert.throws(
    () => mcp.resource("config://app", loose({ mime_type: "application/json" }), () => "{}"),
    /^TypeError: Resource "config:\/\/app": unknown option "mime_type"; did you mean "mimeType"\?/,
  );
  assert.throws(
    () => mcp.resource("users://{id}", loose({ descripton: "A user" }), () => "x"),
    /^TypeError: Resource template "users:\/\/\{id\}": unknown option "descripton"; did you mean "description"\?/,
  );
  const handle = mcp.tool("t", { description: "d" }, () => "ok");
  assert.throws(
    () => handle.update(loose({ descriptoin: "e" })),
    /Tool "t": unknown option "descriptoin"; did you mean "description"\?/,
  );
});

test("a missing argument reads 'missing required argument', a wrong one keeps its reason", async () => {
  const mcp = new FastMCP("s");
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
  mcp.tool(
    "add_object",
    { input: z.object({ a: z.number(), b: z.number() }) },
    ({ a, b }) => a + b,
  );
  const { client, close } = await v1InMemory(mcp);
  try {
    for (const name of ["add", "add_object"]) {
      const missing = await client.callTool({ name, arguments: { a: 1 } });
      assert.equal(missing.isError, true);
      assert.deepEqual(missing.content, [
        {
          type: "text",
          text: `Invalid arguments for tool "${name}": missing required argument "b"`,
        },
      ]);
      const wrong = await client.callTool({ name, arguments: { a: 1, b: "two" } });
      assert.match(
        (wrong.content as { text: string }[])[0]?.text ?? "",
        new RegExp(
          `^Invalid arguments for tool "${name}": b: Invalid input: expected number, received string$`,
        ),
      );
    }
  } finally {
    await close();
  }
});

test("a Date in input names the tool and the field, and says what to write instead", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("when", { input: { at: z.date() } }, () => "x"),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(
        error.message,
        /^Tool "when" input, "at": Date cannot be represented in JSON Schema\. Clients send JSON, which has no dates: take an ISO string and convert it, e\.g\. z\.iso\.datetime\(\)\.pipe\(z\.coerce\.date\(\)\)$/,
      );
      return true;
    },
  );
  assert.throws(
    () => mcp.tool("when2", { input: { at: z.coerce.date() } }, () => "x"),
    /^TypeError: Tool "when2" input, "at": Date cannot be represented/,
  );
});

test("the suggested form works: an ISO string in, a Date in the handler", async () => {
  const mcp = new FastMCP("s");
  mcp.tool("year", { input: { at: z.iso.datetime().pipe(z.coerce.date()) } }, ({ at }) =>
    at.getUTCFullYear(),
  );
  assert.deepEqual((await mcp.callTool("year", { at: "2026-12-06T12:00:00Z" })).content, [
    { type: "text", text: "2026" },
  ]);
});

test("an output transform: advertised without a type for that field, validated and sent transformed", async () => {
  const mcp = new FastMCP("s");
  mcp.tool(
    "measure",
    {
      input: { text: z.string() },
      output: z.object({ text: z.string(), length: z.string().transform((s) => s.length) }),
    },
    ({ text }) => ({ text, length: text }),
  );
  const { client, wire, close } = await v1InMemory(mcp);
  try {
    const tool = (await client.listTools()).tools.find((t) => t.name === "measure");
    const properties = tool?.outputSchema?.properties as Record<string, unknown>;
    assert.deepEqual(properties.text, { type: "string" });
    assert.deepEqual(properties.length, {});
    const result = await client.callTool({ name: "measure", arguments: { text: "abcd" } });
    assert.deepEqual(result.structuredContent, { text: "abcd", length: 4 });
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});

test("a Date in an output schema is refused at registration with what to return instead", () => {
  const mcp = new FastMCP("s");
  assert.throws(
    () => mcp.tool("now", { output: z.object({ at: z.date() }) }, () => ({ at: new Date() })),
    /^TypeError: Tool "now" output: Date cannot be represented in JSON Schema\. Clients receive JSON, which has no dates: return an ISO string \(z\.iso\.datetime\(\)\) instead of a Date$/,
  );
});
