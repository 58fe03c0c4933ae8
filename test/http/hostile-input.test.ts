/**
 * Input a hostile or broken client may send, over real HTTP on loopback, in
 * both eras: every request gets one JSON-RPC answer with its id and never a
 * 5xx, 2026-07-28 header checks answer -32020 whatever the body holds, errors
 * repeat only bounded pieces of what was sent, nothing is logged at ERROR
 * level, the server serves on, and nothing reaches Object.prototype.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  buildHostileServer,
  deepText,
  type Hostile,
  LIST_METHODS,
  MODERN_META_TEXT,
  PROTOTYPE_KEYS,
  prototypeSnapshot,
  requestText,
} from "../fixtures/hostile-server.ts";
import {
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  post,
  type Served,
  serveHttp,
} from "../helpers/http.ts";

type Era = "legacy" | "modern";
type Reply = Awaited<ReturnType<typeof post>>;
const ERAS: readonly Era[] = ["legacy", "modern"];
const DEEP = deepText(5000);
/** The most of a client's text an error may repeat, with room for the error's own words. */
const ECHO_BUDGET = 1000;

interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** The reply's JSON-RPC error, after checking it answers `id` with a status below 500. */
function errorOf(reply: Reply, id: string | number): RpcError {
  assert.ok(reply.status < 500, `status ${reply.status}`);
  const body = reply.body as { id?: unknown; error?: RpcError };
  assert.equal(body.id, id);
  assert.ok(body.error, `expected an error, got ${JSON.stringify(body).slice(0, 300)}`);
  const size = JSON.stringify(body.error).length;
  assert.ok(size < ECHO_BUDGET, `the error is ${size} characters long`);
  return body.error;
}

describe("hostile input over HTTP", () => {
  let hostile: Hostile;
  let served: Served;
  let session: string;
  let prototypeBefore: string[];
  before(async () => {
    prototypeBefore = prototypeSnapshot();
    hostile = buildHostileServer();
    served = await serveHttp(hostile.mcp);
    session = await legacySession(served.url);
  });
  after(async () => {
    await served.stop();
    assert.deepEqual(hostile.errors, [], "nothing a client sent is logged as an ERROR");
    assert.deepEqual(prototypeSnapshot(), prototypeBefore, "Object.prototype is untouched");
  });

  /** Headers for `method` in `era`; modern ones mirror the method (and `name`, if given). */
  const headersFor = (era: Era, method: string, name?: string): Record<string, string> =>
    era === "legacy"
      ? { ...LEGACY_HEADERS, "mcp-session-id": session }
      : {
          ...MODERN_HEADERS,
          "mcp-method": method,
          ...(name === undefined ? {} : { "mcp-name": name }),
        };

  const paramsText = (era: Era, fields: string) =>
    `{${[era === "modern" ? `"_meta":${MODERN_META_TEXT}` : "", fields].filter(Boolean).join(",")}}`;

  async function stillServes(era: Era): Promise<void> {
    const reply = await post(
      served.url,
      requestText("alive", "tools/call", paramsText(era, `"name":"add","arguments":{"a":1,"b":1}`)),
      headersFor(era, "tools/call", "add"),
    );
    assert.equal(reply.status, 200);
    const result = (reply.body as { result: { content: unknown } }).result;
    assert.deepEqual(result.content, [{ type: "text", text: "2" }]);
  }

  for (const era of ERAS) {
    test(`a deeply nested cursor is -32602 for every list method, not a 500 (${era})`, async () => {
      for (const method of LIST_METHODS) {
        const reply = await post(
          served.url,
          requestText(method, method, paramsText(era, `"cursor":${DEEP}`)),
          headersFor(era, method),
        );
        assert.equal(reply.status, 200, method);
        assert.equal(errorOf(reply, method).code, -32602, method);
      }
      await stillServes(era);
    });
  }

  test("a deeply nested or odd name or URI under Mcp-Name is 400 with -32020, not a 500", async () => {
    const targets: [method: string, param: string, header: string][] = [
      ["tools/call", "name", "add"],
      ["prompts/get", "name", "greet"],
      ["resources/read", "uri", "config://app"],
    ];
    // An object with a `toString` key makes String() throw; an array this deep overflows it.
    const values = [DEEP, `{"toString":1}`, `{"toString":{"valueOf":1}}`, "[1,2]", "null", "7"];
    for (const [method, param, header] of targets) {
      for (const [index, value] of values.entries()) {
        const id = `${method}-${index}`;
        const reply = await post(
          served.url,
          requestText(id, method, paramsText("modern", `"${param}":${value}`)),
          headersFor("modern", method, header),
        );
        assert.equal(reply.status, 400, `${method} ${value.slice(0, 20)}`);
        const error = errorOf(reply, id);
        assert.equal(error.code, -32020);
        assert.match(error.message, /Mcp-Name header value '.*' does not match body value/);
      }
    }
    await stillServes("modern");
  });

  test("an x-mcp-header argument that is deeply nested or odd is 400 with -32020", async () => {
    const values = [DEEP, `{"toString":1}`, `"${"r".repeat(100_000)}"`];
    for (const [index, value] of values.entries()) {
      const id = `param-${index}`;
      const reply = await post(
        served.url,
        requestText(
          id,
          "tools/call",
          paramsText("modern", `"name":"route","arguments":{"region":${value}}`),
        ),
        { ...headersFor("modern", "tools/call", "route"), "mcp-param-region": "eu-west" },
      );
      assert.equal(reply.status, 400, value.slice(0, 20));
      const error = errorOf(reply, id);
      assert.equal(error.code, -32020);
      assert.match(error.message, /Mcp-Param-Region header value 'eu-west' does not match/);
    }
    await stillServes("modern");
  });

  test("long methods, versions and header values are repeated only in part", async () => {
    const long = "m".repeat(100_000);
    const method = await post(
      served.url,
      requestText("method", long, paramsText("modern", "")),
      headersFor("modern", "tools/list"),
    );
    assert.equal(method.status, 400);
    assert.equal(errorOf(method, "method").code, -32020);
    const meta = JSON.stringify({
      ...JSON.parse(MODERN_META_TEXT),
      "io.modelcontextprotocol/protocolVersion": long,
    });
    const version = await post(
      served.url,
      requestText("version", "tools/list", `{"_meta":${meta}}`),
      headersFor("modern", "tools/list"),
    );
    assert.equal(version.status, 400);
    assert.equal(errorOf(version, "version").code, -32020);
    const legacyVersion = await post(
      served.url,
      requestText("legacy-version", "tools/list", "{}"),
      { ...headersFor("legacy", "tools/list"), "mcp-protocol-version": "v".repeat(8000) },
    );
    assert.equal(legacyVersion.status, 400);
    errorOf(legacyVersion, "legacy-version");
    const unknownMethod = await post(
      served.url,
      requestText("unknown", long, "{}"),
      headersFor("legacy", long),
    );
    assert.equal(errorOf(unknownMethod, "unknown").code, -32601);
    const origin = await post(served.url, requestText("origin", "tools/list", "{}"), {
      ...headersFor("legacy", "tools/list"),
      origin: `https://${"o".repeat(8000)}.example`,
    });
    assert.equal(origin.status, 403);
    const forbidden = (origin.body as { error: RpcError }).error;
    assert.ok(JSON.stringify(forbidden).length < ECHO_BUDGET, "the Origin is repeated in part");
    await stillServes("legacy");
    await stillServes("modern");
  });
  test("a 2026-07-28 method named after an Object.prototype key is 404 with -32601", async () => {
    for (const method of PROTOTYPE_KEYS) {
      for (const name of [undefined, "add"]) {
        const id = `${method}-${name ?? "none"}`;
        const reply = await post(
          served.url,
          requestText(id, method, paramsText("modern", "")),
          headersFor("modern", method, name),
        );
        assert.equal(reply.status, 404, method);
        assert.equal(errorOf(reply, id).code, -32601, method);
      }
    }
    await stillServes("modern");
  });

  test("a legacy method named after an Object.prototype key is -32601", async () => {
    for (const method of PROTOTYPE_KEYS) {
      const reply = await post(
        served.url,
        requestText(method, method, "{}"),
        headersFor("legacy", method),
      );
      assert.equal(reply.status, 200, method);
      assert.equal(errorOf(reply, method).code, -32601, method);
    }
    await stillServes("legacy");
  });

  test("a tool, prompt or resource named after an Object.prototype key is unknown", async () => {
    for (const key of PROTOTYPE_KEYS) {
      for (const [method, param] of [
        ["tools/call", "name"],
        ["prompts/get", "name"],
        ["resources/read", "uri"],
      ] as const) {
        for (const era of ERAS) {
          const id = `${era}-${method}-${key}`;
          const reply = await post(
            served.url,
            requestText(id, method, paramsText(era, `"${param}":"${key}"`)),
            headersFor(era, method, key),
          );
          assert.equal(reply.status, 200, id);
          const code = method === "resources/read" && era === "legacy" ? -32002 : -32602;
          assert.equal(errorOf(reply, id).code, code, id);
        }
      }
    }
  });

  test("ctx.http.headers holds headers named after Object.prototype keys as sent", async () => {
    const send = (era: Era, via: "node" | "fetch") => {
      const init: RequestInit = {
        method: "POST",
        headers: [
          ...Object.entries(headersFor(era, "tools/call", "headers")),
          ["constructor", "c"],
          ["__proto__", "p"],
          ["tostring", "t"],
          ["hasownproperty", "h"],
        ],
        body: requestText("headers", "tools/call", paramsText(era, `"name":"headers"`)),
      };
      // node:http, through run(); and the web-standard handler, given the Request as it is.
      return via === "node"
        ? fetch(served.url, init)
        : hostile.mcp.fetch(new Request(served.url, init));
    };
    for (const era of ERAS) {
      for (const via of ["node", "fetch"] as const) {
        const response = await send(era, via);
        assert.equal(response.status, 200);
        const body = (await response.json()) as {
          result: { structuredContent: { headers: Record<string, unknown> } };
        };
        const seen = body.result.structuredContent.headers;
        assert.equal(seen.constructor, "c", via);
        assert.equal(seen.tostring, "t");
        assert.equal(seen.hasownproperty, "h");
        // Node's parser drops a `__proto__` header itself; the web-standard Request keeps it.
        if (via === "fetch")
          assert.equal(Object.getOwnPropertyDescriptor(seen, "__proto__")?.value, "p");
      }
    }
  });
  test("completing an argument named after an Object.prototype key is the empty completion", async () => {
    const refs = [
      `{"type":"ref/prompt","name":"greet"}`,
      `{"type":"ref/resource","uri":"docs://{id}"}`,
    ];
    for (const era of ERAS) {
      for (const ref of refs) {
        for (const name of PROTOTYPE_KEYS) {
          const id = `${era}-${ref}-${name}`;
          const fields = `"ref":${ref},"argument":{"name":"${name}","value":""}`;
          const reply = await post(
            served.url,
            requestText(id, "completion/complete", paramsText(era, fields)),
            headersFor(era, "completion/complete"),
          );
          assert.equal(reply.status, 200, id);
          const body = reply.body as { id: string; result?: { completion: unknown } };
          assert.equal(body.id, id);
          assert.ok(body.result, `expected a result, got ${JSON.stringify(body).slice(0, 200)}`);
          assert.deepEqual(body.result.completion, { values: [], total: 0, hasMore: false }, id);
        }
      }
    }
  });
});
