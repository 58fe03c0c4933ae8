/**
 * Redis round trips as CLIENT spans (the OpenTelemetry database and Redis
 * conventions), under the span of the request that made them: a real
 * redis-server, servers with `redisState()` over real HTTP, the SDK's
 * in-memory exporter.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { createClient } from "@redis/client";
import { FastMCP } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { type RedisClientLike, type RedisState, redisState } from "../../src/redis/index.ts";
import { type Served, serveHttp, v1Http } from "../helpers/http.ts";
import { type RedisServer, startRedis } from "../helpers/redis-server.ts";
import { TasksClient } from "../helpers/tasks-client.ts";
import { registerSdk } from "./sdk.ts";
import { assertChild, one } from "./spans.ts";

const sdk = registerSdk();
afterEach(() => sdk.exporter.reset());

let redis: RedisServer;
const states: RedisState[] = [];
const served: Served[] = [];
/** Clients given to redisState(), which never closes them. */
const ownClients: { close(): Promise<unknown> }[] = [];

before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const s of served) await s.stop();
  for (const state of states) await state.close();
  for (const client of ownClients) await client.close();
  await redis.stop();
});

function state(prefix: string): RedisState {
  const made = redisState({ url: redis.url, prefix });
  states.push(made);
  return made;
}

async function serve(mcp: FastMCP): Promise<Served> {
  const s = await serveHttp(mcp);
  served.push(s);
  return s;
}

function tasksServer(shared: RedisState, traced: boolean): FastMCP {
  const mcp = new FastMCP("redis-traced", {
    ...shared,
    ...(traced ? { telemetry: openTelemetry() } : {}),
    logLevel: "silent",
  });
  mcp.tool("job", { task: "optional" }, () => "done");
  return mcp;
}

function redisSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes["db.system.name"] === "redis");
}

/** The span once ended: a task's run ends after its outcome is stored. Bounded by loop turns. */
async function ended(name: string): Promise<ReadableSpan> {
  for (let i = 0; i < 500 && !sdk.spans().some((s) => s.name === name); i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return one(sdk.spans(), name);
}

test("a task's tools/call: SET and SUBSCRIBE under its span, the run's writes under run_task, GET under tasks/get", async () => {
  const s = await serve(tasksServer(state("otel-a:"), true));
  const client = new TasksClient(s.url);
  const task = await client.start("job");
  await client.settled(task.taskId);
  const run = await ended("run_task job");
  const spans = sdk.spans();
  const call = one(spans, "tools/call job");
  const where = `127.0.0.1:${redis.port}`;

  const set = one(spans, `SET ${where}`);
  assertChild(set, call);
  assert.equal(set.kind, SpanKind.CLIENT);
  assert.deepEqual(
    {
      system: set.attributes["db.system.name"],
      operation: set.attributes["db.operation.name"],
      address: set.attributes["server.address"],
      port: set.attributes["server.port"],
      namespace: set.attributes["db.namespace"],
    },
    { system: "redis", operation: "SET", address: "127.0.0.1", port: redis.port, namespace: "0" },
  );
  // Values and keys stay out: no db.query.text.
  assert.equal(set.attributes["db.query.text"], undefined);
  assertChild(one(spans, `SUBSCRIBE ${where}`), call);

  // Storing the outcome: the compare-and-set script, named, and the status published.
  const swap = one(spans, "EVALSHA task_swap");
  assertChild(swap, run);
  assert.equal(swap.attributes["db.operation.name"], "EVALSHA");
  assert.equal(swap.attributes["db.stored_procedure.name"], "task_swap");
  const underRun = redisSpans(spans).filter(
    (r) => r.parentSpanContext?.spanId === run.spanContext().spanId,
  );
  assert.ok(underRun.some((r) => r.name === `PUBLISH ${where}`));
  assert.ok(underRun.some((r) => r.name === `GET ${where}`));

  for (const poll of spans.filter((p) => p.name === "tasks/get")) {
    const reads = redisSpans(spans).filter(
      (r) => r.parentSpanContext?.spanId === poll.spanContext().spanId,
    );
    assert.deepEqual(
      reads.map((r) => r.name),
      [`GET ${where}`],
    );
  }
  // Every Redis span belongs to some request or task of this trace: none is a root.
  for (const r of redisSpans(spans)) assert.ok(r.parentSpanContext, `${r.name} has a parent`);
});

test("legacy: a session's state written by a tool is a script call under the tools/call span", async () => {
  const mcp = new FastMCP("redis-sessions", {
    ...state("otel-b:"),
    telemetry: openTelemetry(),
    logLevel: "silent",
  });
  mcp.tool("count", {}, (_args, ctx) => {
    const session = ctx.session;
    if (!session) return "no session";
    session.state.count = Number(session.state.count ?? 0) + 1;
    return String(session.state.count);
  });
  const s = await serve(mcp);
  const connection = await v1Http(s.url);
  try {
    sdk.exporter.reset();
    await connection.client.callTool({ name: "count", arguments: {} });
    const spans = sdk.spans();
    assertChild(one(spans, "EVALSHA session_set"), one(spans, "tools/call count"));
  } finally {
    await connection.close();
  }
});

test("two traced servers sharing one redisState: one span per command, under the request that sent it", async () => {
  const shared = state("otel-c:");
  const first = await serve(tasksServer(shared, true));
  const second = await serve(tasksServer(shared, true));
  for (const s of [first, second]) {
    sdk.exporter.reset();
    const client = new TasksClient(s.url);
    const task = await client.start("job");
    await client.settled(task.taskId);
    await ended("run_task job");
    const spans = sdk.spans();
    const call = one(spans, "tools/call job");
    const set = one(spans, `SET 127.0.0.1:${redis.port}`);
    assertChild(set, call);
  }
});

test("a server without telemetry makes no Redis spans", async () => {
  const s = await serve(tasksServer(state("otel-d:"), false));
  const client = new TasksClient(s.url);
  const task = await client.start("job");
  await client.settled(task.taskId);
  assert.deepEqual(redisSpans(sdk.spans()), []);
});

test("a script Redis lost (SCRIPT FLUSH, as after a restart) is sent again in full: still one span, no error", async () => {
  const s = await serve(tasksServer(state("otel-f:"), true));
  const client = new TasksClient(s.url);
  await client.settled((await client.start("job")).taskId); // task_swap is loaded now
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.sendCommand(["SCRIPT", "FLUSH"]);
  await admin.close();
  sdk.exporter.reset();
  await client.settled((await client.start("job")).taskId);
  await ended("run_task job");
  const swap = one(sdk.spans(), "EVALSHA task_swap");
  assert.equal(swap.status.code, SpanStatusCode.UNSET);
});

test("with a client of its own (no URL), a command's span is named by the command alone", async () => {
  const own = createClient({ url: redis.url });
  const made = redisState({ client: own as unknown as RedisClientLike, prefix: "otel-g:" });
  states.push(made);
  ownClients.push(own);
  const s = await serve(tasksServer(made, true));
  const client = new TasksClient(s.url);
  await client.settled((await client.start("job")).taskId);
  await ended("run_task job");
  const set = one(sdk.spans(), "SET");
  assert.equal(set.attributes["server.address"], undefined);
  assert.equal(set.attributes["db.system.name"], "redis");
});

test("pub/sub deliveries run outside the request that first subscribed: a listener's commands make no span under it", async () => {
  const shared = state("otel-h:");
  tasksServer(shared, true); // hands its telemetry to the stores
  let heard: () => void = () => {};
  const delivered = new Promise<void>((resolve) => {
    heard = resolve;
  });
  // The connection's first subscription, made inside a span that stays open (a long-lived request).
  const open = await trace.getTracer("test").startActiveSpan("long request", async (span) => {
    await shared.bus.subscribe("news", () => {
      void shared.taskStore.get("no-such-task").then(() => heard());
    });
    return span;
  });
  await shared.bus.publish("news", { hello: "world" });
  await delivered;
  assert.ok(open.isRecording(), "still open when the message arrived");
  open.end();
  const spans = sdk.spans();
  const long = one(spans, "long request");
  assert.deepEqual(
    redisSpans(spans).map((r) => [
      r.name,
      r.parentSpanContext?.spanId === long.spanContext().spanId,
    ]),
    [[`SUBSCRIBE 127.0.0.1:${redis.port}`, true]],
  );
});

test("a command that fails is an error span (Redis down: RedisUnavailableError)", async () => {
  const s = await serve(tasksServer(state("otel-e:"), true));
  const client = new TasksClient(s.url);
  // Connected, and Redis known to work.
  await client.settled((await client.start("job")).taskId);
  await redis.stop();
  try {
    sdk.exporter.reset();
    const { error } = await client.call("job");
    assert.ok(error, "the call fails while Redis is down");
    const set = one(sdk.spans(), `SET 127.0.0.1:${redis.port}`);
    assert.equal(set.status.code, SpanStatusCode.ERROR);
    assert.equal(set.attributes["error.type"], "RedisUnavailableError");
    assert.equal(set.attributes["db.response.status_code"], undefined);
  } finally {
    await redis.start();
  }
});
