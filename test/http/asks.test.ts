/** Elicitation, sampling and roots over HTTP: on the call's stream, the session's GET stream, or in rounds. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Client as V2Client } from "@modelcontextprotocol/client";
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { FastMCP, type FastMCPOptions } from "../../src/index.ts";
import { LEGACY_HEADERS, post, type Served, serveHttp, v1Http, v2Http } from "../helpers/http.ts";

function buildServer(options: FastMCPOptions = {}): FastMCP {
  const mcp = new FastMCP("Asks", options);
  mcp.tool("ask_name", async (_args, ctx) => {
    const answer = await ctx.elicit("Your name?", { name: z.string() });
    if (answer.action !== "accept") return `no answer (${answer.action})`;
    const poem = await ctx.sample(`A poem for ${answer.content.name}`, { maxTokens: 50 });
    return `${answer.content.name}: ${poem.text}`;
  });
  return mcp;
}

const v1Setup = {
  capabilities: { elicitation: {}, sampling: {} },
  handlers: (client: V1Client) => {
    client.setRequestHandler(ElicitRequestSchema, () => ({
      action: "accept",
      content: { name: "Ada" },
    }));
    client.setRequestHandler(CreateMessageRequestSchema, () => ({
      role: "assistant",
      content: { type: "text", text: "roses" },
      model: "test",
    }));
  },
};

const v2Setup = {
  capabilities: { elicitation: {}, sampling: {} },
  handlers: (client: V2Client) => {
    client.setRequestHandler(
      "elicitation/create",
      () => ({ action: "accept", content: { name: "Grace" } }) as never,
    );
    client.setRequestHandler(
      "sampling/createMessage",
      () =>
        ({ role: "assistant", content: { type: "text", text: "tulips" }, model: "test" }) as never,
    );
  },
};

function text(result: unknown): string | undefined {
  return (result as { content?: { text?: string }[] }).content?.[0]?.text;
}

describe("asking the client over HTTP", () => {
  let served: Served;
  before(async () => {
    served = await serveHttp(buildServer());
  });
  after(() => served.stop());

  test("legacy, v1 client: requests go down the call's SSE stream, answers come back by POST", async () => {
    const { client, wire, close } = await v1Http(served.url, v1Setup);
    try {
      assert.equal(text(await client.callTool({ name: "ask_name", arguments: {} })), "Ada: roses");
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("legacy, v2 client", async () => {
    const { client, close } = await v2Http(served.url, "legacy", v2Setup);
    try {
      assert.equal(
        text(await client.callTool({ name: "ask_name", arguments: {} })),
        "Grace: tulips",
      );
    } finally {
      await close();
    }
  });

  test("2026-07-28, v2 client: the same handler in rounds of input_required", async () => {
    const { client, wire, close } = await v2Http(served.url, { pin: "2026-07-28" }, v2Setup);
    try {
      assert.equal(
        text(await client.callTool({ name: "ask_name", arguments: {} })),
        "Grace: tulips",
      );
      const calls = wire.sent.filter((m) => m.method === "tools/call");
      assert.equal(calls.length, 3, "one call and two retries");
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });
});

test("JSON responses with sessions: asks travel on the session's GET stream", async () => {
  const served = await serveHttp(buildServer({ jsonResponse: true }));
  const { client, close } = await v1Http(served.url, v1Setup);
  try {
    // The v1 client opens its GET stream after initialization; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(text(await client.callTool({ name: "ask_name", arguments: {} })), "Ada: roses");
  } finally {
    await close();
    await served.stop();
  }
});

test("stateless legacy HTTP: an ask fails at once with a clear reason", async () => {
  const served = await serveHttp(buildServer({ statelessHttp: true }));
  try {
    const r = await post(
      served.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "ask_name", arguments: {} } },
      { ...LEGACY_HEADERS, "mcp-protocol-version": "2025-11-25" },
    );
    const body = r.body as {
      result?: { isError?: boolean; content: { text: string }[] };
      error?: { message: string };
    };
    const message = body.result?.content[0]?.text ?? body.error?.message ?? "";
    assert.match(message, /stateless HTTP cannot receive the answer/);
  } finally {
    await served.stop();
  }
});
