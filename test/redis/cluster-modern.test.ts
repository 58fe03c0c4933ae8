/**
 * The 2026-07-28 era across processes: three processes sharing redisState and
 * a requestStateSecret behind a round-robin proxy, and the official v2 client
 * (@modelcontextprotocol/client, pinned to 2026-07-28). The rounds of one
 * multi round-trip call land on different processes; a subscriptions/listen
 * stream held by one process receives resource updates and list_changed
 * published by the others, and again after Redis restarts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Client as V2Client } from "@modelcontextprotocol/client";
import { v2Http } from "../helpers/http.ts";
import {
  type Served,
  sleep,
  startServer,
  stopServers,
  subscribers,
  until,
} from "../helpers/redis-cluster.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { type RoundRobinProxy, roundRobinProxy } from "../helpers/round-robin-proxy.ts";

let redis: RedisServer;
let servers: Served[] = [];
let proxy: RoundRobinProxy;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  redis = await startRedis();
  servers = await Promise.all(["p0", "p1", "p2"].map((label) => startServer(redis.url, label)));
  proxy = await roundRobinProxy(servers.map((s) => s.port));
});

after(async () => {
  await Promise.all(closers.map((close) => close().catch(() => undefined)));
  await proxy?.close();
  await stopServers(servers);
  await redis?.stop();
});

function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => block.text ?? "").join("");
}

async function connect(): Promise<{ client: V2Client; asked: string[] }> {
  const asked: string[] = [];
  const connection = await v2Http(
    proxy.url,
    { pin: "2026-07-28" },
    {
      capabilities: { elicitation: {} },
      handlers: (client) => {
        client.setRequestHandler("elicitation/create", (request) => {
          const message = (request.params as { message: string }).message;
          asked.push(message);
          return (
            message === "Your name?"
              ? { action: "accept", content: { name: "Ada" } }
              : { action: "accept", content: { color: "teal" } }
          ) as never;
        });
      },
    },
  );
  closers.push(connection.close);
  assert.deepEqual(connection.wire.problems(), []);
  return { client: connection.client, asked };
}

test("multi round-trip asks whose rounds land on different processes", async () => {
  const { client, asked } = await connect();
  const start = proxy.log.length;
  const result = await client.callTool({ name: "survey", arguments: {} });
  assert.match(text(result), /^Ada likes teal, finished on p\d$/);
  assert.deepEqual(asked, ["Your name?", "Your colour?"]);
  // Three rounds (the call, then one retry per answer), each on the next process.
  const rounds = proxy.log.slice(start).filter((entry) => entry.rpc === "tools/call");
  assert.equal(rounds.length, 3);
  assert.equal(new Set(rounds.map((entry) => entry.backend)).size, 3);
  const finishedOn = Number(/p(\d)$/.exec(text(result))?.[1]);
  assert.equal(finishedOn, rounds[2]?.backend, "the last round finished on its own process");
});

/** Calls a tool until a process other than `avoid` serves it (round robin: a few tries at most). */
async function callElsewhere(client: V2Client, name: string, avoid: number | undefined) {
  for (let tries = 0; tries < 4; tries++) {
    await client.callTool({ name, arguments: name === "touch" ? { uri: "file:///doc" } : {} });
    const served = proxy.log.findLast((entry) => entry.rpc === "tools/call")?.backend;
    if (served !== avoid) return served;
  }
  throw new Error(`${name} never landed away from backend ${avoid}`);
}

test("a listen stream on one process hears updates and list_changed published on the others, and again after Redis restarts", async () => {
  const { client } = await connect();
  const updated: string[] = [];
  let listChanged = 0;
  client.setNotificationHandler("notifications/resources/updated", (note) => {
    updated.push(note.params.uri);
  });
  client.setNotificationHandler("notifications/tools/list_changed", () => {
    listChanged += 1;
  });
  const subscription = await client.listen({
    resourceSubscriptions: ["file:///doc"],
    toolsListChanged: true,
  });
  closers.push(() => subscription.close());
  const holder = proxy.log.findLast((entry) => entry.rpc === "subscriptions/listen")?.backend;
  assert.notEqual(holder, undefined);

  const toucher = await callElsewhere(client, "touch", holder);
  assert.notEqual(toucher, holder);
  await until(() => updated.length > 0, 5000);
  assert.ok(updated.every((uri) => uri === "file:///doc"));

  await callElsewhere(client, "announce", holder);
  await until(() => listChanged >= 1, 5000);

  // Redis goes away and comes back (empty): the stream stays open, its process subscribes
  // again by itself, and updates published after that arrive. (Those published meanwhile
  // are lost: pub/sub keeps nothing; docs/redis.md says so.)
  await redis.stop();
  await sleep(100);
  await redis.start();
  await until(
    () => subscribers(redis.url, "cluster:bus:fastmcp:cluster:resource:file:///doc"),
    10_000,
  );
  const before = updated.length;
  // A call may still meet a process whose command connection is reconnecting: try again.
  await until(async () => {
    try {
      await callElsewhere(client, "touch", holder);
      return true;
    } catch {
      return false;
    }
  }, 10_000);
  await until(() => updated.length > before, 5000);
  await subscription.close();
});
