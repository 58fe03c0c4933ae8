/**
 * Hooks per kind (`mcp.use({ onCallTool, onListTools, ... })`) through the
 * official clients: both eras in memory and over HTTP, arguments, results and
 * lists changed, a tool hidden from one caller, and 2026-07-28 input rounds
 * passing through a hook untouched.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FastMCP, type Hooks } from "../../src/index.ts";
import { ERAS as ASK_ERAS, connectAnswering } from "../helpers/asks.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import { connectEra, ERAS, type EraClient } from "../helpers/eras.ts";
import { serveHttp, v1Http, v2Http } from "../helpers/http.ts";

function server(): FastMCP {
  const mcp = new FastMCP("hooks", { logLevel: "error" });
  mcp.tool("add", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  mcp.tool("secret", () => "42");
  mcp.resource("note://today", () => "sunny");
  mcp.prompt("greet", { args: { name: z.string() } }, ({ name }) => `Hello ${name}`);
  mcp.use({
    async onCallTool(call, next) {
      // Doubles every number argument, and marks the result.
      const args: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(call.arguments))
        args[key] = typeof value === "number" ? value * 2 : value;
      const result = await next(args);
      return { ...result, content: [...result.content, { type: "text", text: `by ${call.name}` }] };
    },
    async onReadResource(read, next) {
      const result = await next();
      return {
        ...result,
        contents: result.contents.map((c) =>
          "text" in c ? { ...c, text: `${c.text} (${read.uri})` } : c,
        ),
      };
    },
    async onGetPrompt(get, next) {
      return next({ ...get.arguments, name: String(get.arguments.name).toUpperCase() });
    },
    async onListTools(list, next) {
      const tools = await next();
      // Hidden from the v1 client only: one caller sees it, another does not.
      return list.request.clientInfo?.name === "v1-test"
        ? tools.filter((t) => t.name !== "secret")
        : tools;
    },
    async onListPrompts(_list, next) {
      return (await next()).map((p) => ({ ...p, description: "hooked" }));
    },
  } satisfies Hooks);
  return mcp;
}

async function checkAll(client: EraClient, hidden: boolean, call: CallFn): Promise<void> {
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.deepEqual(names, hidden ? ["add"] : ["add", "secret"]);
  const result = await call("add", { a: 1, b: 2 });
  assert.deepEqual(result.content, [
    { type: "text", text: "6" },
    { type: "text", text: "by add" },
  ]);
  const read = await client.readResource({ uri: "note://today" });
  assert.equal((read.contents[0] as { text: string }).text, "sunny (note://today)");
  const prompt = await client.getPrompt({ name: "greet", arguments: { name: "ada" } });
  assert.deepEqual(prompt.messages[0]?.content, { type: "text", text: "Hello ADA" });
  const prompts = await client.listPrompts();
  assert.equal(prompts.prompts[0]?.description, "hooked");
}

type CallFn = (
  name: string,
  args: Record<string, unknown>,
) => Promise<{ content: unknown[]; isError?: boolean }>;

for (const era of ERAS) {
  test(`hooks change arguments, results and lists (${era}, in memory)`, async () => {
    const mcp = server();
    const connection = await connectEra(mcp, era);
    try {
      const client = connection.client as EraClient & {
        callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<never>;
      };
      await checkAll(connection.client, era === "legacy", (name, args) =>
        client.callTool({ name, arguments: args }),
      );
    } finally {
      await connection.close();
    }
  });
}

test("hooks over HTTP: v1 client (legacy) and v2 client (2026-07-28)", async () => {
  const served = await serveHttp(server());
  try {
    const v1 = await v1Http(served.url);
    const v2 = await v2Http(served.url, { pin: "2026-07-28" });
    try {
      await checkAll(
        v1.client,
        true,
        (name, args) => v1.client.callTool({ name, arguments: args }) as never,
      );
      await checkAll(
        v2.client as unknown as EraClient,
        false,
        (name, args) => v2.client.callTool({ name, arguments: args }) as never,
      );
    } finally {
      await v1.close();
      await v2.close();
    }
  } finally {
    await served.stop();
  }
});

test("a list hook that keeps the list sends the cached page as it was", async () => {
  const mcp = new FastMCP("same", { logLevel: "error" });
  mcp.tool("a", () => "a");
  let seen = 0;
  mcp.use({
    async onListTools(_list, next) {
      seen++;
      return next();
    },
  });
  const { client, close } = await v1InMemory(mcp);
  try {
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ["a"],
    );
    assert.deepEqual(
      (await client.listTools()).tools.map((t) => t.name),
      ["a"],
    );
    assert.equal(seen, 2);
  } finally {
    await close();
  }
});

for (const era of ASK_ERAS) {
  test(`a tool that asks the client passes through onCallTool untouched (${era})`, async () => {
    const mcp = new FastMCP("asks", { logLevel: "error" });
    mcp.tool("confirm", async (_args, ctx) => {
      const answer = await ctx.elicit("Sure?", { ok: z.boolean() });
      return answer.action === "accept" ? `ok=${answer.content.ok}` : "declined";
    });
    const results: unknown[] = [];
    mcp.use({
      async onCallTool(_call, next) {
        const result = await next();
        results.push(result.content);
        return result;
      },
    });
    const connection = await connectAnswering(era, mcp, {
      elicit: () => ({ action: "accept", content: { ok: true } }),
    });
    try {
      const result = await connection.call("confirm");
      assert.deepEqual(result.content, [{ type: "text", text: "ok=true" }]);
      // The hook saw only the final result, never an input_required round.
      assert.deepEqual(results, [[{ type: "text", text: "ok=true" }]]);
    } finally {
      await connection.close();
    }
  });
}

test("use() refuses an unknown hook and a hook that is not a function", () => {
  const mcp = new FastMCP("bad");
  assert.throws(
    () => mcp.use({ onCallTools: async () => ({}) } as unknown as Hooks),
    /use\(hooks\): unknown option "onCallTools"; did you mean "onCallTool"\?/,
  );
  assert.throws(
    () => mcp.use({ onListTools: "no" } as unknown as Hooks),
    /onListTools must be a function/,
  );
  assert.throws(() => mcp.use(42 as unknown as Hooks), /middleware function or an object of hooks/);
});

test("middleware and hooks compose in the order they were added", async () => {
  const mcp = new FastMCP("order", { logLevel: "error" });
  mcp.tool("echo", { input: { s: z.string() } }, ({ s }) => s);
  mcp.use({ onCallTool: (call, next) => next({ s: `${call.arguments.s}1` }) });
  mcp.use({ onCallTool: (call, next) => next({ s: `${call.arguments.s}2` }) });
  const { client, close } = await v2InMemory(mcp, { pin: "2026-07-28" });
  try {
    const result = await client.callTool({ name: "echo", arguments: { s: "x" } });
    assert.deepEqual(result.content, [{ type: "text", text: "x12" }]);
  } finally {
    await close();
  }
});

test("a list hook composes with scopes: each token sees its scoped view, minus what the hook hides", async () => {
  const { StaticTokenVerifier } = await import("../../src/auth/index.ts");
  const mcp = new FastMCP("scoped", {
    logLevel: "error",
    tokenVerifier: new StaticTokenVerifier({
      admin: { scopes: ["admin"], subject: "root" },
      user: { scopes: [], subject: "ann" },
      guest: { scopes: [], subject: "guest" },
    }),
  });
  mcp.tool("public", () => "p");
  mcp.tool("admin_only", { scopes: ["admin"] }, () => "a");
  mcp.tool("members", () => "m");
  mcp.use({
    async onListTools({ request }, next) {
      const tools = await next();
      const subject = (request.auth as { subject?: string } | undefined)?.subject;
      return subject === "guest" ? tools.filter((t) => t.name !== "members") : tools;
    },
  });
  const served = await serveHttp(mcp);
  const names = async (token: string) => {
    const { Client, StreamableHTTPClientTransport } = await import("@modelcontextprotocol/client");
    const client = new Client(
      { name: "v2-test", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(served.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      return (await client.listTools()).tools.map((t) => t.name);
    } finally {
      await client.close();
    }
  };
  try {
    assert.deepEqual(await names("admin"), ["public", "admin_only", "members"]);
    assert.deepEqual(await names("user"), ["public", "members"]);
    assert.deepEqual(await names("guest"), ["public"]);
    assert.deepEqual(
      await names("user"),
      ["public", "members"],
      "the hidden view never leaks back",
    );
  } finally {
    await served.stop();
  }
});
