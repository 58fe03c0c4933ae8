/**
 * Three processes serve one MCP server with its state in Redis, behind a
 * round-robin proxy that knows nothing of sessions. The official v1 client
 * runs a legacy session whose requests land on each process in turn: tools,
 * progress, an elicitation answered on another process than the one asking,
 * a resource update and a list_changed produced on another process than the
 * one holding the GET stream. Then Redis stops (clear errors) and comes back
 * (full service), and a process holding a stream is killed: Last-Event-ID on
 * another process replays what was missed, exactly once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ElicitRequestSchema,
  type Progress,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { LEGACY_HEADERS, legacySession } from "../helpers/http.ts";
import {
  readEvents,
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
const clients: Client[] = [];

before(async () => {
  redis = await startRedis();
  servers = await Promise.all(["p0", "p1", "p2"].map((label) => startServer(redis.url, label)));
  proxy = await roundRobinProxy(servers.map((s) => s.port));
});

after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await proxy?.close();
  await stopServers(servers);
  await redis?.stop();
});

interface Heard {
  updated: string[];
  listChanged: number;
  asked: number;
}

async function connect(): Promise<{ client: Client; heard: Heard; sessionId: string }> {
  const heard: Heard = { updated: [], listChanged: 0, asked: 0 };
  const client = new Client(
    { name: "cluster-test", version: "1.0.0" },
    { capabilities: { elicitation: {} } },
  );
  client.setRequestHandler(ElicitRequestSchema, async () => {
    heard.asked += 1;
    return { action: "accept", content: { name: "Ada" } };
  });
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (note) => {
    heard.updated.push(note.params.uri);
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    heard.listChanged += 1;
  });
  const transport = new StreamableHTTPClientTransport(new URL(proxy.url));
  await client.connect(transport);
  clients.push(client);
  const sessionId = transport.sessionId ?? "";
  assert.ok(sessionId, "the session has an id");
  // The client opens its GET stream after `initialized`; wait until that process listens on the bus.
  await until(
    () => subscribers(redis.url, `cluster:bus:fastmcp:cluster:session:${sessionId}`),
    5000,
  );
  return { client, heard, sessionId };
}

function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => block.text ?? "").join("");
}

/** The backend of the last routed request matching `rpc`. */
function lastBackend(rpc: string): number | undefined {
  return proxy.log.findLast((entry) => entry.rpc === rpc)?.backend;
}

/** The backend holding the session's GET stream (the last GET routed). */
function getStreamBackend(): number | undefined {
  return proxy.log.findLast((entry) => entry.http === "GET")?.backend;
}

/** Calls a tool until a process other than `avoid` serves it (round robin: at most a few tries). */
async function callElsewhere(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  avoid: number | undefined,
) {
  for (let tries = 0; tries < 4; tries++) {
    const result = await client.callTool({ name, arguments: args });
    const served = lastBackend("tools/call");
    if (served !== avoid) return { result, served, calls: tries + 1 };
  }
  throw new Error(`${name} never landed away from backend ${avoid}`);
}

test("a legacy session whose requests alternate between three processes", async () => {
  const { client, heard } = await connect();
  const start = proxy.log.length;

  // Tools, on every process in turn.
  const labels: string[] = [];
  for (let i = 0; i < 6; i++) labels.push(text(await client.callTool({ name: "whoami" })));
  assert.deepEqual(new Set(labels), new Set(["p0", "p1", "p2"]));
  // Per-session state follows the session from process to process.
  const remembered: string[] = [];
  for (let i = 0; i < 3; i++) remembered.push(text(await client.callTool({ name: "remember" })));
  assert.deepEqual(
    remembered.map((line) => line.split(",")[0]),
    ["call 1", "call 2", "call 3"],
  );
  assert.equal(new Set(remembered.map((line) => line.split(" on ")[1])).size, 3);
  const listed = await client.listTools();
  assert.ok(listed.tools.some((tool) => tool.name === "ask"));

  // Progress reaches the client from whichever process runs the call.
  const progress: Progress[] = [];
  const counted = await client.callTool({ name: "count", arguments: { steps: 3 } }, undefined, {
    onprogress: (p) => progress.push(p),
  });
  assert.match(text(counted), /^counted 3 on p\d$/);
  assert.deepEqual(
    progress.map((p) => p.progress),
    [1, 2, 3],
  );

  // Elicitation mid-call: the answer is a POST of its own, which the proxy sends to the next process.
  const asked = await client.callTool({ name: "ask" });
  const askedOn = Number(/on p(\d)$/.exec(text(asked))?.[1]);
  assert.match(text(asked), /^Ada asked on p\d$/);
  const answeredOn = lastBackend("response");
  assert.equal(heard.asked, 1);
  assert.notEqual(answeredOn, undefined);
  assert.notEqual(answeredOn, askedOn, "the answer landed on another process than the one asking");

  // A resource update published on a process other than the one holding the GET stream.
  await client.subscribeResource({ uri: "file:///doc" });
  const touched = await callElsewhere(client, "touch", { uri: "file:///doc" }, getStreamBackend());
  assert.match(text(touched.result), /^touched on p\d$/);
  // One update per touch (a touch that landed on the stream's own process counts too), none twice.
  await until(() => heard.updated.length >= touched.calls, 5000);
  await sleep(100);
  assert.deepEqual(heard.updated, Array(touched.calls).fill("file:///doc"));

  // list_changed made on one process reaches the GET stream held by another.
  await callElsewhere(client, "announce", {}, getStreamBackend());
  await until(() => heard.listChanged >= 1, 5000);

  const read = await client.readResource({ uri: "file:///doc" });
  assert.match(JSON.stringify(read.contents), /the doc, read on p\d/);
  const routed = new Set(proxy.log.slice(start).map((entry) => entry.backend));
  assert.equal(routed.size, 3, "every process served part of the session");
});

test("Redis stops: clear errors meanwhile; it starts again: full service", async () => {
  const { client } = await connect();
  await redis.stop();
  await assert.rejects(client.callTool({ name: "whoami" }), (error: Error & { code?: number }) => {
    assert.equal(error.code, -32603);
    assert.match(error.message, /session store cannot be reached; try again shortly/);
    return true;
  });
  const newcomer = new Client({ name: "late", version: "1.0.0" });
  await assert.rejects(
    newcomer.connect(new StreamableHTTPClientTransport(new URL(proxy.url))),
    (error: Error & { code?: number }) => {
      assert.equal(error.code, 503, "the SDK's StreamableHTTPError carries the status");
      assert.match(error.message, /session store cannot be reached/);
      return true;
    },
  );

  await redis.start();
  // Every process reconnects by itself (within a second or so): a new session works throughout.
  await until(async () => {
    try {
      const probe = new Client({ name: "probe", version: "1.0.0" });
      await probe.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
      await probe.close();
      return true;
    } catch {
      return false;
    }
  }, 10_000);
  // This Redis kept nothing on disk, so the old session is gone: the client is told so (404).
  await assert.rejects(client.callTool({ name: "whoami" }), /404|Session not found/);

  const fresh = await connect();
  const labels = new Set<string>();
  for (let i = 0; i < 3; i++) labels.add(text(await fresh.client.callTool({ name: "whoami" })));
  assert.equal(labels.size, 3);
  const asked = await fresh.client.callTool({ name: "ask" });
  assert.match(text(asked), /^Ada asked on p\d$/);
  await fresh.client.subscribeResource({ uri: "file:///doc" });
  await callElsewhere(fresh.client, "touch", { uri: "file:///doc" }, getStreamBackend());
  await until(() => fresh.heard.updated.includes("file:///doc"), 5000);
});

test("the process holding a stream is killed: Last-Event-ID on another replays what was missed, exactly once", async () => {
  const [holder, second, third] = servers as [Served, Served, Served];
  const sessionId = await legacySession(holder.url);
  const headers = {
    ...LEGACY_HEADERS,
    "mcp-session-id": sessionId,
    "mcp-protocol-version": "2025-11-25",
  };
  const call = await fetch(holder.url, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "stall", arguments: {}, _meta: { progressToken: "t" } },
    }),
  });
  // The priming event, then two progress notifications; then the tool waits.
  const seen = await readEvents(call, (events) => events.filter((e) => e.data !== "").length >= 2);
  const [priming, first, secondEvent] = seen;
  assert.equal(priming?.data, "");
  assert.match(first?.data ?? "", /"progress":1/);
  assert.match(secondEvent?.data ?? "", /"progress":2/);

  holder.child.kill("SIGKILL");
  await new Promise((resolve) => holder.child.once("exit", resolve));
  proxy.down.add(0);

  const resume = (url: string, lastEventId: string) =>
    fetch(url, {
      headers: {
        accept: "text/event-stream",
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-11-25",
        "last-event-id": lastEventId,
      },
    });
  const afterFirst = await resume(second.url, first?.id ?? "");
  assert.equal(afterFirst.status, 200);
  assert.deepEqual(await readEvents(afterFirst, () => false), [secondEvent]);
  const afterPriming = await resume(third.url, priming?.id ?? "");
  assert.deepEqual(await readEvents(afterPriming, () => false), [first, secondEvent]);
  const afterLast = await resume(second.url, secondEvent?.id ?? "");
  assert.deepEqual(await readEvents(afterLast, () => false), []);
});
