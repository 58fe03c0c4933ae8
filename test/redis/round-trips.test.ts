/**
 * Hot paths stay hot with Redis state: a stateless or 2026-07-28 call never
 * touches Redis, and a legacy call inside a session touches it once (the
 * session read, which also slides its time to live). Counted at the client:
 * every command fastmcp-ts sends goes through `sendCommand`, and each is one
 * round trip (what must do more is a script).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient } from "@redis/client";
import { FastMCP } from "../../src/index.ts";
import { type RedisClientLike, type RedisState, redisState } from "../../src/redis/index.ts";
import {
  LEGACY_HEADERS,
  legacySession,
  MODERN_HEADERS,
  MODERN_META,
  post,
  type Served,
  serveHttp,
} from "../helpers/http.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";

let redis: RedisServer;
let real: ReturnType<typeof createClient>;
let state: RedisState;
const sent: string[][] = [];
const served: Served[] = [];

/** The real client, with every command it is asked to send written down. */
function counting(client: ReturnType<typeof createClient>): RedisClientLike {
  return {
    get isOpen() {
      return client.isOpen;
    },
    get isReady() {
      return client.isReady;
    },
    connect: () => client.connect(),
    sendCommand: (args, options) => {
      sent.push(args);
      return client.sendCommand(args, options);
    },
    duplicate: () => client.duplicate(),
    subscribe: (channel, listener) => client.subscribe(channel, listener),
    unsubscribe: (channel, listener) => client.unsubscribe(channel, listener),
    on: (event, listener) => client.on(event, listener),
    close: () => client.close(),
    destroy: () => client.destroy(),
    unref: () => client.unref(),
  };
}

function server(options: { statelessHttp?: boolean } = {}): FastMCP {
  const mcp = new FastMCP("hot", {
    ...state,
    ...options,
    requestStateSecret: "0123456789abcdef0123456789abcdef",
  });
  mcp.tool("add", {}, () => "3");
  mcp.tool("remember", {}, (_args, ctx) => {
    if (ctx.session) ctx.session.state.seen = true;
    return "ok";
  });
  return mcp;
}

before(async () => {
  redis = await startRedis();
  real = createClient({ url: redis.url });
  await real.connect();
  state = redisState({ client: counting(real), prefix: "hot:" });
});

after(async () => {
  await Promise.all(served.map((s) => s.stop()));
  await state.close();
  await real.close();
  await redis.stop();
});

const call = (id: number, meta?: object) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: meta ? { name: "add", arguments: {}, _meta: meta } : { name: "add", arguments: {} },
});

/** The commands one request sent. */
async function commandsOf(work: () => Promise<unknown>): Promise<string[]> {
  const start = sent.length;
  await work();
  return sent.slice(start).map((args) => args[0] ?? "");
}

test("a legacy call in a session: one round trip (the session read)", async () => {
  const s = await serveHttp(server());
  served.push(s);
  const session = await legacySession(s.url);
  const headers = { ...LEGACY_HEADERS, "mcp-session-id": session };
  for (let i = 1; i <= 3; i++) {
    const commands = await commandsOf(async () => {
      const reply = await post(s.url, call(i), headers);
      assert.equal(reply.status, 200);
    });
    assert.deepEqual(commands, ["EVALSHA"], `call ${i}`);
  }
});

test("a legacy call that changes ctx.session.state: two (the read, then the store)", async () => {
  const s = await serveHttp(server());
  served.push(s);
  const session = await legacySession(s.url);
  const headers = { ...LEGACY_HEADERS, "mcp-session-id": session };
  const remember = { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "remember" } };
  assert.deepEqual(await commandsOf(() => post(s.url, remember, headers)), ["EVALSHA", "EVALSHA"]);
  // The same value again changes nothing: back to one.
  assert.deepEqual(await commandsOf(() => post(s.url, remember, headers)), ["EVALSHA"]);
  const stored = String(await real.sendCommand(["HGET", `hot:session:${session}`, "r"]));
  assert.deepEqual(JSON.parse(stored).state, { seen: true });
});

test("opening a session: initialize counts and stores (two), initialized reads and stores (two)", async () => {
  const s = await serveHttp(server());
  served.push(s);
  const init = await commandsOf(() =>
    post(s.url, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "c", version: "1" },
      },
    }),
  );
  assert.deepEqual(init, ["EVALSHA", "EVALSHA"]);
  const session =
    (
      await post(s.url, {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "c", version: "1" },
        },
      })
    ).headers.get("mcp-session-id") ?? "";
  const initialized = await commandsOf(() =>
    post(
      s.url,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { ...LEGACY_HEADERS, "mcp-session-id": session },
    ),
  );
  assert.deepEqual(initialized, ["EVALSHA", "EVALSHA"]);
});

test("a 2026-07-28 call and a stateless legacy call: no round trip", async () => {
  const s = await serveHttp(server());
  served.push(s);
  const modern = await commandsOf(async () => {
    const reply = await post(s.url, call(1, MODERN_META), {
      ...MODERN_HEADERS,
      "mcp-method": "tools/call",
      "mcp-name": "add",
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  });
  assert.deepEqual(modern, []);

  const stateless = await serveHttp(server({ statelessHttp: true }));
  served.push(stateless);
  const legacy = await commandsOf(async () => {
    const reply = await post(stateless.url, call(2), {
      ...LEGACY_HEADERS,
      "mcp-protocol-version": "2025-11-25",
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  });
  assert.deepEqual(legacy, []);
});
