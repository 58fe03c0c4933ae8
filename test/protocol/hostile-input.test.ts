/**
 * Input a hostile or broken client may send, in-process (the engine, a
 * MemoryTransport) and over the real stdio transport: every request gets
 * exactly one JSON-RPC answer with its id, errors repeat only bounded pieces
 * of what was sent, nothing is logged at ERROR level, the server serves on,
 * and nothing reaches Object.prototype.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mimeTypeOf } from "../../src/components/mime.ts";
import { UriTemplate } from "../../src/components/uri-template.ts";
import { type FastMCP, Image, MemoryTransport } from "../../src/index.ts";
import { parseLogLevel } from "../../src/logger.ts";
import type { Envelope } from "../../src/protocol/envelope.ts";
import { compileFastCheck } from "../../src/schema/fast-check.ts";
import {
  buildHostileServer,
  deepText,
  LIST_METHODS,
  MODERN_META_TEXT,
  PROTOTYPE_KEYS,
  prototypeSnapshot,
  requestText,
} from "../fixtures/hostile-server.ts";
import { INITIALIZE, MODERN_META, type RawChannel, rawChannel } from "../helpers/raw.ts";

type Era = "legacy" | "modern";
type Answer = Record<string, unknown>;
const ERAS: readonly Era[] = ["legacy", "modern"];

/** Deep enough that JSON.stringify overflows the stack on it, as the issue found. */
const DEEP = deepText(5000);
/** The most of a client's text an error may repeat, with room for the error's own words. */
const ECHO_BUDGET = 1000;

/** `params` as JSON text in `era`: modern ones carry their `_meta`. */
function paramsText(era: Era, fields: string): string {
  const meta = era === "modern" ? `"_meta":${MODERN_META_TEXT}` : "";
  return `{${[meta, fields].filter((part) => part !== "").join(",")}}`;
}

function errorOf(answer: Answer): { code: number; message: string; data?: unknown } {
  assert.ok("error" in answer, `expected an error, got ${JSON.stringify(answer).slice(0, 300)}`);
  return answer.error as { code: number; message: string; data?: unknown };
}

/** The error repeats at most ECHO_BUDGET characters of the request, whatever it held. */
function assertBounded(answer: Answer): void {
  const size = JSON.stringify(answer.error ?? answer.result).length;
  assert.ok(size < ECHO_BUDGET, `the answer is ${size} characters long`);
}

/** Asks the engine directly, and writes the answer as a transport would (it must serialize). */
async function viaEngine(mcp: FastMCP, era: Era, text: string): Promise<Answer> {
  const envelope: Envelope = {
    outbound: { send: async () => {} },
    channelId: "hostile-engine",
    legacyVersion: era === "legacy" ? "2025-11-25" : undefined,
  };
  const response = await mcp.handleMessage(JSON.parse(text), envelope);
  assert.ok(response, "every request is answered");
  return JSON.parse(JSON.stringify(response)) as Answer;
}

/** A raw client over MemoryTransport: what it sends is parsed on the server's side, as on a wire. */
async function memoryClient(mcp: FastMCP) {
  const [client, server] = MemoryTransport.pair();
  const answers = new Map<unknown, (answer: Answer) => void>();
  client.onmessage = (message) => {
    const answer = message as Answer;
    answers.get(answer.id)?.(answer);
  };
  await mcp.connect(server);
  await client.start();
  return {
    request(id: string, method: string, params: Record<string, unknown>): Promise<Answer> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), 5000);
        answers.set(id, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        void client.send({ jsonrpc: "2.0", id, method, params });
      });
    },
    close: () => client.close(),
  };
}

/** Writes one request as raw text over stdio and waits for the answer with its id. */
async function viaStdio(channel: RawChannel, id: string, text: string): Promise<Answer> {
  channel.write(text);
  for (;;) {
    const answer = await channel.next();
    if (answer.id === id && !("method" in answer)) return answer;
    assert.ok("method" in answer || answer.id !== undefined, "no answer without an id");
  }
}

async function stillServes(channel: RawChannel, era: Era): Promise<void> {
  const text = requestText(
    `alive-${era}`,
    "tools/call",
    paramsText(era, `"name":"add","arguments":{"a":1,"b":1}`),
  );
  const answer = await viaStdio(channel, `alive-${era}`, text);
  assert.deepEqual((answer.result as { content: unknown }).content, [{ type: "text", text: "2" }]);
}

describe("a deeply nested cursor (issue 18, defect 1)", () => {
  for (const era of ERAS) {
    test(`every list method answers -32602 in-process, and serves on (${era})`, async () => {
      const { mcp, errors } = buildHostileServer();
      for (const method of LIST_METHODS) {
        const answer = await viaEngine(
          mcp,
          era,
          requestText(method, method, paramsText(era, `"cursor":${DEEP}`)),
        );
        assert.equal(answer.id, method);
        assert.equal(errorOf(answer).code, -32602, method);
        assertBounded(answer);
      }
      const fine = await viaEngine(mcp, era, requestText(1, "tools/list", paramsText(era, "")));
      assert.equal((fine.result as { tools: unknown[] }).tools.length, 1);
      assert.deepEqual(errors, []);
      await mcp.close();
    });
  }
});

/**
 * Runs `body` against a fresh server over stdio with a legacy session open
 * (modern requests carry their own _meta), then checks that nothing was
 * logged at ERROR level and Object.prototype is as it was.
 */
async function overStdio(body: (channel: RawChannel) => Promise<void>): Promise<void> {
  const prototypeBefore = prototypeSnapshot();
  const { mcp, errors } = buildHostileServer();
  const channel = await rawChannel(mcp);
  try {
    await channel.request(INITIALIZE);
    channel.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await body(channel);
  } finally {
    await channel.close();
  }
  assert.deepEqual(errors, [], "nothing a client sent is logged as an ERROR");
  assert.deepEqual(prototypeSnapshot(), prototypeBefore, "Object.prototype is untouched");
}

describe("hostile input over stdio", () => {
  for (const era of ERAS) {
    test(`a deeply nested cursor is -32602 for every list method (${era})`, () =>
      overStdio(async (channel) => {
        for (const method of LIST_METHODS) {
          const id = `cursor-${era}-${method}`;
          const text = requestText(id, method, paramsText(era, `"cursor":${DEEP}`));
          const answer = await viaStdio(channel, id, text);
          assert.equal(errorOf(answer).code, -32602, method);
          assertBounded(answer);
        }
        await stillServes(channel, era);
      }));

    test(`deeply nested names, URIs and references are -32602 (${era})`, () =>
      overStdio(async (channel) => {
        const cases: [method: string, fields: string][] = [
          ["tools/call", `"name":${DEEP}`],
          ["prompts/get", `"name":${DEEP}`],
          ["prompts/get", `"name":"greet","arguments":{"name":${DEEP}}`],
          ["resources/read", `"uri":${DEEP}`],
          ["completion/complete", `"ref":${DEEP},"argument":{"name":"name","value":""}`],
          ["completion/complete", `"ref":{"type":"ref/prompt","name":${DEEP}},"argument":{}`],
          ["completion/complete", `"ref":{"type":"ref/prompt","name":"greet"},"argument":${DEEP}`],
        ];
        for (const [index, [method, fields]] of cases.entries()) {
          const id = `deep-${era}-${index}`;
          const text = requestText(id, method, paramsText(era, fields));
          const answer = await viaStdio(channel, id, text);
          assert.equal(errorOf(answer).code, -32602, `${method} ${fields.slice(0, 40)}`);
          assertBounded(answer);
        }
        await stillServes(channel, era);
      }));

    test(`long strings are repeated only in part (${era})`, () =>
      overStdio(async (channel) => {
        const long = "x".repeat(200_000);
        const argument = `"argument":{"name":"a","value":""}`;
        const cases: [method: string, fields: string, code: number][] = [
          [long, "", -32601],
          ["tools/list", `"cursor":"${long}"`, -32602],
          ["tools/call", `"name":"${long}"`, -32602],
          ["prompts/get", `"name":"${long}"`, -32602],
          ["resources/read", `"uri":"${long}"`, era === "modern" ? -32602 : -32002],
          [
            "completion/complete",
            `"ref":{"type":"ref/prompt","name":"${long}"},${argument}`,
            -32602,
          ],
          [
            "completion/complete",
            `"ref":{"type":"ref/resource","uri":"${long}"},${argument}`,
            -32602,
          ],
        ];
        for (const [index, [method, fields, code]] of cases.entries()) {
          const id = `long-${era}-${index}`;
          const text = requestText(id, method, paramsText(era, fields));
          const answer = await viaStdio(channel, id, text);
          assert.equal(errorOf(answer).code, code, `${method.slice(0, 20)} ${fields.slice(0, 30)}`);
          assertBounded(answer);
        }
        await stillServes(channel, era);
      }));
  }

  test("a long unsupported protocol version is repeated only in part (modern)", () =>
    overStdio(async (channel) => {
      const version = "9".repeat(200_000);
      const meta = { ...MODERN_META, "io.modelcontextprotocol/protocolVersion": version };
      const answer = await channel.request({
        jsonrpc: "2.0",
        id: "version",
        method: "tools/list",
        params: { _meta: meta },
      });
      const error = errorOf(answer);
      assert.equal(error.code, -32022);
      assertBounded(answer);
      assert.deepEqual((error.data as { supported: unknown }).supported, ["2026-07-28"]);
    }));
});

describe("what a client answers or declares, repeated in errors", () => {
  const metaWith = (capabilities: string) =>
    MODERN_META_TEXT.replace(
      '"io.modelcontextprotocol/clientCapabilities":{}',
      `"io.modelcontextprotocol/clientCapabilities":${capabilities}`,
    );

  test("a validator that quotes the refused value is cut short", () =>
    overStdio(async (channel) => {
      const text = requestText(
        "count",
        "tools/call",
        paramsText("modern", `"name":"count","arguments":{"n":"${"n".repeat(200_000)}"}`),
      );
      const answer = await viaStdio(channel, "count", text);
      const result = answer.result as { isError: boolean; content: { text: string }[] };
      assert.equal(result.isError, true);
      assert.match(result.content[0]?.text ?? "", /Invalid arguments for tool "count": n: /);
      assertBounded(answer);
    }));

  test("an elicitation answer with a deeply nested or long action is -32602 (modern)", () =>
    overStdio(async (channel) => {
      const meta = metaWith(`{"elicitation":{}}`);
      const first = await viaStdio(
        channel,
        "ask-1",
        requestText("ask-1", "tools/call", `{"_meta":${meta},"name":"ask","arguments":{}}`),
      );
      const { requestState } = first.result as { requestState: string };
      for (const [index, action] of [DEEP, `"${"a".repeat(200_000)}"`].entries()) {
        const id = `ask-retry-${index}`;
        const params = `{"_meta":${meta},"name":"ask","arguments":{},"requestState":${JSON.stringify(requestState)},"inputResponses":{"elicit-1":{"action":${action}}}}`;
        const answer = await viaStdio(channel, id, requestText(id, "tools/call", params));
        const error = errorOf(answer);
        assert.equal(error.code, -32602);
        assert.match(error.message, /no valid action/);
        assertBounded(answer);
      }
      await stillServes(channel, "modern");
    }));

  test("a client's long error message is cut short (legacy)", () =>
    overStdio(async (channel) => {
      // A second session, whose client takes elicitation requests.
      await channel.request({
        ...INITIALIZE,
        id: "init-elicit",
        params: { ...INITIALIZE.params, capabilities: { elicitation: {} } },
      });
      channel.send({ jsonrpc: "2.0", id: "ask", method: "tools/call", params: { name: "ask" } });
      const ask = await channel.next();
      assert.equal(ask.method, "elicitation/create");
      channel.write(
        `{"jsonrpc":"2.0","id":${JSON.stringify(ask.id)},"error":{"code":-1,"message":"${"e".repeat(200_000)}","data":${DEEP}}}`,
      );
      const answer = await channel.next();
      assert.equal(answer.id, "ask");
      const result = answer.result as { content: { text: string }[] };
      assert.match(result.content[0]?.text ?? "", /^refused: The client answered elicitation/);
      assertBounded(answer);
    }));

  test("a deeply nested elicitation capability is not repeated (modern)", () =>
    overStdio(async (channel) => {
      const meta = metaWith(`{"elicitation":{"form":${DEEP},"${"k".repeat(200_000)}":{}}}`);
      const answer = await viaStdio(
        channel,
        "ask-url",
        requestText("ask-url", "tools/call", `{"_meta":${meta},"name":"ask_url","arguments":{}}`),
      );
      const error = errorOf(answer);
      assert.equal(error.code, -32021);
      assert.match(error.message, /does not support url-mode elicitation/);
      assertBounded(answer);
      await stillServes(channel, "modern");
    }));
});

describe("2026-07-28 rounds and deeply nested params", () => {
  test("a round whose params nest too deep to digest is -32602, not -32603", () =>
    overStdio(async (channel) => {
      const meta = MODERN_META_TEXT.replace(
        '"io.modelcontextprotocol/clientCapabilities":{}',
        '"io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}',
      );
      // `ask` asks, so its params are digested to bind the round's requestState.
      const text = requestText(
        "deep-round",
        "tools/call",
        `{"_meta":${meta},"name":"ask","arguments":{},"extra":${DEEP}}`,
      );
      const answer = await viaStdio(channel, "deep-round", text);
      const error = errorOf(answer);
      assert.equal(error.code, -32602);
      assert.match(error.message, /nested too deeply/);
      await stillServes(channel, "modern");
    }));
});

describe("lookups keyed by what a client chose (issue 18, defect 3)", () => {
  for (const era of ERAS) {
    test(`a method named after an Object.prototype key is -32601, in-process (${era})`, async () => {
      const prototypeBefore = prototypeSnapshot();
      const { mcp, errors } = buildHostileServer();
      const client = await memoryClient(mcp);
      try {
        const meta = era === "modern" ? { _meta: MODERN_META } : {};
        if (era === "legacy") await client.request("init", "initialize", INITIALIZE.params);
        for (const method of PROTOTYPE_KEYS) {
          const answer = await client.request(`m-${method}`, method, { ...meta });
          assert.equal(errorOf(answer).code, -32601, method);
        }
        const list = await client.request("list", "tools/list", { ...meta });
        assert.ok(Array.isArray((list.result as { tools: unknown }).tools));
      } finally {
        await client.close();
        await mcp.close();
      }
      assert.deepEqual(errors, []);
      assert.deepEqual(prototypeSnapshot(), prototypeBefore);
    });

    test(`names, URIs, levels and versions named after Object.prototype keys get their proper errors (${era})`, () =>
      overStdio(async (channel) => {
        for (const key of PROTOTYPE_KEYS) {
          const cases: [method: string, fields: string, code: number][] = [
            [key, "", -32601],
            ["tools/call", `"name":"${key}"`, -32602],
            ["prompts/get", `"name":"${key}"`, -32602],
            ["resources/read", `"uri":"${key}"`, era === "modern" ? -32602 : -32002],
            ["tools/list", `"cursor":"${key}"`, -32602],
            [
              "completion/complete",
              `"ref":{"type":"ref/prompt","name":"${key}"},"argument":{"name":"a","value":""}`,
              -32602,
            ],
            [
              "completion/complete",
              `"ref":{"type":"ref/resource","uri":"${key}"},"argument":{"name":"a","value":""}`,
              -32602,
            ],
            // The params object itself with a prototype-named key, and a __proto__ payload.
            [
              "tools/call",
              `"name":"add","arguments":{"a":1,"b":1,"${key}":{"polluted":true}},"${key}":{"polluted":true}`,
              0,
            ],
          ];
          if (era === "legacy") cases.push(["logging/setLevel", `"level":"${key}"`, -32602]);
          for (const [index, [method, fields, code]] of cases.entries()) {
            const id = `proto-${era}-${key}-${index}`;
            const text = requestText(id, method, paramsText(era, fields));
            const answer = await viaStdio(channel, id, text);
            if (code === 0) assert.ok(answer.result, `${method} ${fields}`);
            else assert.equal(errorOf(answer).code, code, `${method} ${fields}`);
          }
          if (era === "modern") {
            const meta = MODERN_META_TEXT.replace('"2026-07-28"', `"${key}"`);
            const id = `version-${key}`;
            const answer = await viaStdio(
              channel,
              id,
              requestText(id, "tools/list", `{"_meta":${meta}}`),
            );
            assert.equal(errorOf(answer).code, -32022);
            const level = MODERN_META_TEXT.replace(
              "{",
              `{"io.modelcontextprotocol/logLevel":"${key}",`,
            );
            const levelId = `level-${key}`;
            const levelAnswer = await viaStdio(
              channel,
              levelId,
              requestText(levelId, "tools/list", `{"_meta":${level}}`),
            );
            assert.equal(errorOf(levelAnswer).code, -32602);
          } else {
            const id = `initialize-${key}`;
            const init = {
              ...INITIALIZE,
              id,
              params: { ...INITIALIZE.params, protocolVersion: key },
            };
            const answer = await channel.request(init);
            assert.equal(
              (answer.result as { protocolVersion: string }).protocolVersion,
              "2025-11-25",
            );
          }
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        await stillServes(channel, era);
      }));
  }

  test("a file extension, template variable, log level or schema type named after an Object.prototype key finds nothing", () => {
    for (const key of PROTOTYPE_KEYS) {
      assert.equal(mimeTypeOf(key), undefined, key);
      assert.equal(parseLogLevel(key), undefined, key);
      // A schema's type named so compiles no fast check (it once found Object, which passes all).
      assert.equal(compileFastCheck({ type: key }), undefined, key);
    }
    // An image whose format came from a client's file name.
    const image = new Image({ data: new Uint8Array([1]), format: "constructor" });
    assert.equal(image.toContent().mimeType, "image/constructor");
    const template = new UriTemplate("search://q{?constructor,toString}");
    assert.deepEqual(
      { ...template.match("search://q?constructor=a&toString=b") },
      { constructor: "a", toString: "b" },
    );
  });
});

describe("completion of an argument named after an Object.prototype key (issue 18, defect 4)", () => {
  const refs = [
    { type: "ref/prompt", name: "greet" },
    { type: "ref/resource", uri: "docs://{id}" },
  ];
  const EMPTY = { values: [], total: 0, hasMore: false };
  const completionOf = (answer: Answer): unknown => {
    assert.ok(answer.result, `expected a result, got ${JSON.stringify(answer).slice(0, 200)}`);
    return (answer.result as { completion: unknown }).completion;
  };

  for (const era of ERAS) {
    test(`is the empty completion, in-process (${era})`, async () => {
      const { mcp, errors } = buildHostileServer();
      const client = await memoryClient(mcp);
      try {
        const meta = era === "modern" ? { _meta: MODERN_META } : {};
        if (era === "legacy") await client.request("init", "initialize", INITIALIZE.params);
        for (const ref of refs) {
          for (const name of [...PROTOTYPE_KEYS, "unknown"]) {
            const answer = await client.request(`${ref.type}-${name}`, "completion/complete", {
              ...meta,
              ref,
              argument: { name, value: "" },
            });
            assert.deepEqual(completionOf(answer), EMPTY, `${ref.type} ${name}`);
          }
        }
        const known = await client.request("known", "completion/complete", {
          ...meta,
          ref: refs[0],
          argument: { name: "name", value: "A" },
        });
        assert.deepEqual((known.result as { completion: { values: unknown } }).completion.values, [
          "Ada",
          "Alan",
        ]);
      } finally {
        await client.close();
        await mcp.close();
      }
      assert.deepEqual(errors, [], "no ERROR log");
    });

    test(`is the empty completion over stdio (${era})`, () =>
      overStdio(async (channel) => {
        for (const ref of refs) {
          for (const name of PROTOTYPE_KEYS) {
            const id = `complete-${era}-${ref.type}-${name}`;
            const fields = `"ref":${JSON.stringify(ref)},"argument":{"name":"${name}","value":""}`;
            const answer = await viaStdio(
              channel,
              id,
              requestText(id, "completion/complete", paramsText(era, fields)),
            );
            assert.deepEqual(completionOf(answer), EMPTY, id);
          }
        }
        await stillServes(channel, era);
      }));
  }
});
