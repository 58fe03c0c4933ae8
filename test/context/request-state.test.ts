/** 2026-07-28 rounds on the raw wire: requestState is sealed, bound to its request, and expires. */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { z } from "zod";
import { FastMCP, inputRequired } from "../../src/index.ts";
import { INITIALIZE, MODERN_META, type RawChannel, rawChannel } from "../helpers/raw.ts";
import { WireLog } from "../helpers/wire.ts";

const SECRET = "the shared secret of this cluster";
const META = {
  ...MODERN_META,
  "io.modelcontextprotocol/clientCapabilities": { elicitation: {} },
};

function server(options: { secret?: string; ttlMs?: number } = {}) {
  const mcp = new FastMCP("Rounds", {
    requestStateSecret: options.secret ?? SECRET,
    ...(options.ttlMs ? { requestStateTtlMs: options.ttlMs } : {}),
    logLevel: "silent",
  });
  mcp.tool("greet", { input: { lang: z.string() } }, async ({ lang }, ctx) => {
    const answer = await ctx.elicit("Your name?", { name: z.string() });
    return answer.action === "accept" ? `${lang}: hello ${answer.content.name}` : answer.action;
  });
  mcp.tool("explicit", async (_args, ctx) => {
    const confirm = ctx.inputResponses?.confirm as { action?: string } | undefined;
    if (!confirm) {
      return inputRequired({
        inputRequests: {
          confirm: {
            method: "elicitation/create",
            params: {
              mode: "form",
              message: "Sure?",
              requestedSchema: { type: "object", properties: {} },
            },
          },
        },
        state: { step: 2, startedBy: "explicit" },
      });
    }
    return `${confirm.action} at ${JSON.stringify(ctx.inputState)}`;
  });
  return mcp;
}

let channels: RawChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.map((channel) => channel.close()));
  channels = [];
});

async function open(mcp: FastMCP) {
  const channel = await rawChannel(mcp);
  channels.push(channel);
  return channel;
}

let nextId = 1;
function call(
  channel: RawChannel,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return channel.request({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { _meta: META, name: "greet", arguments: args, ...extra },
  });
}

function firstRound(response: Record<string, unknown>) {
  const result = response.result as {
    resultType: string;
    requestState: string;
    inputRequests: Record<string, { method: string; params: Record<string, unknown> }>;
  };
  assert.equal(result.resultType, "input_required");
  return result;
}

const wire = new WireLog(() => "2026-07-28");
function assertValid(response: Record<string, unknown>, method = "tools/call") {
  wire.clientSent({ jsonrpc: "2.0", id: response.id, method });
  assert.deepEqual(wire.check("2026-07-28", response), []);
}

test("a round: input_required, then the retry with the answer completes", async () => {
  const channel = await open(server());
  const first = await call(channel, { lang: "en" });
  assertValid(first);
  const round = firstRound(first);
  assert.deepEqual(round.inputRequests, {
    "elicit-1": {
      method: "elicitation/create",
      params: {
        mode: "form",
        message: "Your name?",
        requestedSchema: {
          type: "object",
          properties: { name: { type: "string" } },
          required: ["name"],
        },
      },
    },
  });
  assert.match(round.requestState, /^fmcp1\./);
  assert.ok(!round.requestState.includes("Your name"), "the state is encrypted, not just signed");
  const done = await call(
    channel,
    { lang: "en" },
    {
      requestState: round.requestState,
      inputResponses: { "elicit-1": { action: "accept", content: { name: "Ada" } } },
    },
  );
  assertValid(done);
  assert.deepEqual((done.result as { content: unknown }).content, [
    { type: "text", text: "en: hello Ada" },
  ]);
});

test("tampered requestState is refused with a clear error", async () => {
  const channel = await open(server());
  const { requestState } = firstRound(await call(channel, { lang: "en" }));
  const last = requestState.at(-1) === "A" ? "B" : "A";
  const tampered = `${requestState.slice(0, -1)}${last}`;
  for (const state of [tampered, "not a state", `fmcp1.${"A".repeat(80)}`]) {
    const response = await call(
      channel,
      { lang: "en" },
      {
        requestState: state,
        inputResponses: { "elicit-1": { action: "accept", content: { name: "Eve" } } },
      },
    );
    const error = response.error as { code: number; message: string };
    assert.equal(error.code, -32602);
    assert.match(error.message, /^Invalid requestState: this server did not issue it/);
  }
});

test("expired requestState is refused", async (t) => {
  const channel = await open(server({ ttlMs: 1000 }));
  const { requestState } = firstRound(await call(channel, { lang: "en" }));
  const now = Date.now();
  t.mock.method(Date, "now", () => now + 5000);
  const response = await call(
    channel,
    { lang: "en" },
    { requestState, inputResponses: { "elicit-1": { action: "decline" } } },
  );
  const error = response.error as { code: number; message: string };
  assert.equal(error.code, -32602);
  assert.match(error.message, /^Expired requestState: it expired \d+ s ago/);
});

test("requestState from another request (other arguments, other tool) is refused", async () => {
  const channel = await open(server());
  const { requestState } = firstRound(await call(channel, { lang: "en" }));
  const otherArguments = await call(channel, { lang: "fr" }, { requestState });
  const otherTool = await channel.request({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { _meta: META, name: "explicit", arguments: { lang: "en" }, requestState },
  });
  for (const response of [otherArguments, otherTool]) {
    assert.match(
      (response.error as { message: string }).message,
      /^Invalid requestState: it belongs to a different request/,
    );
  }
});

test("servers sharing requestStateSecret continue each other's rounds; others refuse them", async () => {
  const { requestState } = firstRound(await call(await open(server()), { lang: "en" }));
  const retry = {
    requestState,
    inputResponses: { "elicit-1": { action: "accept", content: { name: "Lin" } } },
  };
  const sibling = await call(await open(server()), { lang: "en" }, retry);
  assert.deepEqual((sibling.result as { content: unknown }).content, [
    { type: "text", text: "en: hello Lin" },
  ]);
  const stranger = await call(
    await open(server({ secret: "some other secret entirely" })),
    { lang: "en" },
    retry,
  );
  assert.equal((stranger.error as { code: number }).code, -32602);
});

test("a retry without the answer asks again; malformed answers are -32602", async () => {
  const channel = await open(server());
  const { requestState } = firstRound(await call(channel, { lang: "en" }));
  const again = firstRound(
    await call(channel, { lang: "en" }, { requestState, inputResponses: {} }),
  );
  assert.deepEqual(Object.keys(again.inputRequests), ["elicit-1"]);

  const badAction = await call(
    channel,
    { lang: "en" },
    { requestState, inputResponses: { "elicit-1": { action: "maybe" } } },
  );
  assert.equal((badAction.error as { code: number }).code, -32602);
  assert.match((badAction.error as { message: string }).message, /no valid action/);

  const notAnObject = await call(channel, { lang: "en" }, { requestState, inputResponses: [] });
  assert.match(
    (notAnObject.error as { message: string }).message,
    /"inputResponses" must be an object/,
  );

  const stateNotString = await call(channel, { lang: "en" }, { requestState: 42 });
  assert.match(
    (stateNotString.error as { message: string }).message,
    /"requestState" must be a string/,
  );
});

test("an answer is used only for the question it answers", async () => {
  const mcp = server();
  let asked = 0;
  mcp.tool("moody", async (_args, ctx) => {
    asked += 1;
    const answer = await ctx.elicit(`Question ${asked}?`, { ok: z.boolean() });
    return answer.action;
  });
  const channel = await open(mcp);
  const moody = (extra: Record<string, unknown> = {}) =>
    channel.request({
      jsonrpc: "2.0",
      id: nextId++,
      method: "tools/call",
      params: { _meta: META, name: "moody", arguments: {}, ...extra },
    });
  const { requestState } = firstRound(await moody());
  const again = firstRound(
    await moody({
      requestState,
      inputResponses: { "elicit-1": { action: "accept", content: { ok: true } } },
    }),
  );
  assert.equal(again.inputRequests["elicit-1"]?.params.message, "Question 2?");
});

test("inputResponses without requestState are ignored: the round starts over", async () => {
  const channel = await open(server());
  const response = await call(
    channel,
    { lang: "en" },
    { inputResponses: { "elicit-1": { action: "accept", content: { name: "Forged" } } } },
  );
  assert.equal(firstRound(response).inputRequests["elicit-1"]?.method, "elicitation/create");
});

test("the explicit form: inputRequired() with sealed state, then ctx.inputResponses and ctx.inputState", async () => {
  const channel = await open(server());
  const explicit = (extra: Record<string, unknown> = {}) =>
    channel.request({
      jsonrpc: "2.0",
      id: nextId++,
      method: "tools/call",
      params: { _meta: META, name: "explicit", arguments: {}, ...extra },
    });
  const first = await explicit();
  assertValid(first);
  const round = firstRound(first);
  assert.deepEqual(Object.keys(round.inputRequests), ["confirm"]);
  const done = await explicit({
    requestState: round.requestState,
    inputResponses: { confirm: { action: "accept", content: {} } },
  });
  assert.deepEqual((done.result as { content: unknown }).content, [
    { type: "text", text: 'accept at {"step":2,"startedBy":"explicit"}' },
  ]);
});

test("the explicit form is refused for a client without the capability, and in the legacy era", async () => {
  const channel = await open(server());
  const modern = await channel.request({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { _meta: MODERN_META, name: "explicit", arguments: {} },
  });
  assert.equal((modern.error as { code: number }).code, -32021);

  const legacy = await open(server());
  await legacy.request(INITIALIZE);
  const response = await legacy.request({
    jsonrpc: "2.0",
    id: nextId++,
    method: "tools/call",
    params: { name: "explicit", arguments: {} },
  });
  assert.match(
    (response.error as { message: string }).message,
    /only 2026-07-28 requests can carry/,
  );
});

test("a requestStateSecret shorter than 16 bytes is refused at construction", () => {
  assert.throws(() => new FastMCP("x", { requestStateSecret: "short" }), /at least 16 bytes/);
  assert.throws(() => new FastMCP("x", { requestStateTtlMs: 0 }), /requestStateTtlMs/);
  assert.throws(() => new FastMCP("x", { clientRequestTimeoutMs: 1.5 }), /clientRequestTimeoutMs/);
});
