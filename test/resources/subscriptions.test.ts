/** Resource subscriptions handled by the framework: legacy resources/subscribe, 2026-07-28 subscriptions/listen, across processes. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  FastMCP,
  type FastMCPOptions,
  type McpError,
  MemoryBus,
  MemorySessionStore,
  MemorySubscriptionStore,
} from "../../src/index.ts";
import { createTestClient, type TestClient } from "../../src/testing/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";
import { MODERN_META, rawChannel } from "../helpers/raw.ts";

/** A memory bus that counts live subscriptions, to see that ended streams clean up. */
class CountingBus extends MemoryBus {
  active = 0;
  override async subscribe(topic: string, listener: (message: unknown) => void) {
    const stop = await super.subscribe(topic, listener);
    this.active++;
    let stopped = false;
    return async () => {
      if (!stopped) this.active--;
      stopped = true;
      await stop();
    };
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function server(options: FastMCPOptions = {}): FastMCP {
  const mcp = new FastMCP("Subscriptions", options);
  mcp.resource("live://a", () => "a");
  mcp.resource("live://{id}", ({ id }) => id);
  mcp.tool("noop", () => "ok");
  return mcp;
}

/** The notifications a client received, without the `jsonrpc` field. */
const received = (client: TestClient) =>
  client.notifications.map(({ method, params }) => ({ method, params }));
const updates = (client: TestClient) =>
  received(client).filter((n) => n.method === "notifications/resources/updated");

describe("legacy era: resources/subscribe", () => {
  test("only subscribers of the URI hear of its updates, until they unsubscribe", async () => {
    const mcp = server();
    const [a, b] = [await createTestClient(mcp), await createTestClient(mcp)];
    try {
      await a.request("resources/subscribe", { uri: "live://a" });
      await b.request("resources/subscribe", { uri: "live://b" });
      await mcp.notifyResourceUpdated("live://a");
      await mcp.notifyResourceUpdated("live://c");
      await turn();
      assert.deepEqual(updates(a), [
        { method: "notifications/resources/updated", params: { uri: "live://a" } },
      ]);
      assert.deepEqual(updates(b), []);
      await a.request("resources/unsubscribe", { uri: "live://a" });
      await mcp.notifyResourceUpdated("live://a");
      await mcp.notifyResourceUpdated("live://b");
      await turn();
      assert.equal(updates(a).length, 1);
      assert.deepEqual(updates(b), [
        { method: "notifications/resources/updated", params: { uri: "live://b" } },
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("two official v1 clients: the subscriber is notified, the other is not", async () => {
    const mcp = server();
    const [subscriber, other] = [await v1InMemory(mcp), await v1InMemory(mcp)];
    try {
      const heard: string[] = [];
      let arrived: () => void = () => {};
      subscriber.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.push(`subscriber ${n.params.uri}`);
        arrived();
      });
      other.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.push(`other ${n.params.uri}`);
      });
      await subscriber.client.subscribeResource({ uri: "live://7" });
      const received = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      await mcp.notifyResourceUpdated("live://7");
      await received;
      await other.client.ping();
      await turn();
      assert.deepEqual(heard, ["subscriber live://7"]);
      assert.deepEqual(subscriber.wire.problems(), []);
    } finally {
      await subscriber.close();
      await other.close();
    }
  });

  test("a session that ends takes its subscriptions with it", async () => {
    const store = new MemorySubscriptionStore();
    const mcp = server({ subscriptionStore: store });
    const client = await createTestClient(mcp);
    await client.request("resources/subscribe", { uri: "live://a" });
    await client.request("resources/subscribe", { uri: "live://b" });
    assert.equal((await store.sessions("live://a")).length, 1);
    await client.close();
    await turn();
    assert.deepEqual(await store.sessions("live://a"), []);
    assert.deepEqual(await store.sessions("live://b"), []);
    assert.equal(await mcp.sessions.size(), 0);
  });

  test("bad requests are refused clearly", async () => {
    const client = await createTestClient(server());
    try {
      await assert.rejects(client.request("resources/subscribe", {}), (error) => {
        assert.equal((error as McpError).code, -32602);
        assert.match((error as McpError).message, /"uri" must be a non-empty string/);
        return true;
      });
      await assert.rejects(
        client.request("subscriptions/listen", { notifications: {} }),
        (error) => {
          assert.equal((error as McpError).code, -32601);
          return true;
        },
      );
    } finally {
      await client.close();
    }
  });
});

describe("2026-07-28: subscriptions/listen", () => {
  test("acknowledges first, with the honoured filter, then tags every notification", async () => {
    const mcp = server();
    const client = await createTestClient(mcp, { era: "modern" });
    const controller = new AbortController();
    try {
      const listening = client.request(
        "subscriptions/listen",
        {
          notifications: {
            toolsListChanged: true,
            promptsListChanged: true,
            resourcesListChanged: true,
            resourceSubscriptions: ["live://a", "live://a", "live://x"],
          },
        },
        { signal: controller.signal },
      );
      listening.catch(() => {});
      await turn();
      const ack = received(client)[0];
      const id = 2; // after server/discover
      assert.deepEqual(ack, {
        method: "notifications/subscriptions/acknowledged",
        params: {
          _meta: { "io.modelcontextprotocol/subscriptionId": id },
          // Every list capability is declared, so every list flag is honoured.
          notifications: {
            toolsListChanged: true,
            promptsListChanged: true,
            resourcesListChanged: true,
            resourceSubscriptions: ["live://a", "live://x"],
          },
        },
      });
      await mcp.notifyResourceUpdated("live://x");
      await mcp.notifyResourceUpdated("live://other");
      mcp.tool("added", () => "");
      await turn();
      assert.deepEqual(received(client).slice(1), [
        {
          method: "notifications/resources/updated",
          params: { uri: "live://x", _meta: { "io.modelcontextprotocol/subscriptionId": id } },
        },
        {
          method: "notifications/tools/list_changed",
          params: { _meta: { "io.modelcontextprotocol/subscriptionId": id } },
        },
      ]);
    } finally {
      controller.abort();
      await client.close();
    }
  });

  test("two official v2 clients: only the one listening for the URI is notified", async () => {
    const mcp = server();
    const [listener, other] = [
      await v2InMemory(mcp, { pin: "2026-07-28" }),
      await v2InMemory(mcp, { pin: "2026-07-28" }),
    ];
    try {
      const heard: string[] = [];
      let arrived: () => void = () => {};
      listener.client.setNotificationHandler("notifications/resources/updated", (n) => {
        heard.push(`listener ${n.params.uri}`);
        arrived();
      });
      other.client.setNotificationHandler("notifications/resources/updated", (n) => {
        heard.push(`other ${n.params.uri}`);
      });
      const subscription = await listener.client.listen({ resourceSubscriptions: ["live://9"] });
      // The other client listens too, but for tool changes only.
      const toolsOnly = await other.client.listen({ toolsListChanged: true });
      assert.deepEqual(toolsOnly.honoredFilter, { toolsListChanged: true });
      const received = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      await mcp.notifyResourceUpdated("live://9");
      await received;
      await other.client.listTools();
      await turn();
      assert.deepEqual(heard, ["listener live://9"]);
      await subscription.close();
      await toolsOnly.close();
      assert.deepEqual(listener.wire.problems(), []);
      assert.deepEqual(other.wire.problems(), []);
    } finally {
      await listener.close();
      await other.close();
    }
  });

  test("a cancelled stream is not answered and stops listening", async () => {
    const bus = new CountingBus();
    const mcp = server({ bus });
    const raw = await rawChannel(mcp);
    try {
      const baseline = bus.active;
      raw.send({
        jsonrpc: "2.0",
        id: "listen-1",
        method: "subscriptions/listen",
        params: { _meta: MODERN_META, notifications: { resourceSubscriptions: ["live://a"] } },
      });
      const ack = await raw.next();
      assert.equal(ack.method, "notifications/subscriptions/acknowledged");
      assert.equal(bus.active, baseline + 1);
      raw.send({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: "listen-1" },
      });
      const discover = await raw.request({
        jsonrpc: "2.0",
        id: "after",
        method: "server/discover",
        params: { _meta: MODERN_META },
      });
      assert.ok(discover.result);
      await turn();
      assert.equal(bus.active, baseline);
      await mcp.notifyResourceUpdated("live://a");
      await turn();
      assert.deepEqual(
        raw.received.map((message) => message.method ?? `response ${String(message.id)}`),
        ["notifications/subscriptions/acknowledged", "response after"],
      );
    } finally {
      await raw.close();
    }
  });

  test("on shutdown the server closes the stream gracefully, with the subscription id", async () => {
    const mcp = server();
    const connection = await v2InMemory(mcp, { pin: "2026-07-28" });
    const subscription = await connection.client.listen({ resourceSubscriptions: ["live://a"] });
    await mcp.close();
    assert.equal(await subscription.closed, "graceful");
    const listenId = connection.wire.sent.find((m) => m.method === "subscriptions/listen")?.id;
    const response = connection.wire.received.find((m) => m.id === listenId);
    assert.deepEqual(response?.result, {
      resultType: "complete",
      _meta: {
        "io.modelcontextprotocol/subscriptionId": listenId,
        "io.modelcontextprotocol/serverInfo": { name: "Subscriptions", version: "1.0.0" },
      },
    });
    assert.deepEqual(connection.wire.problems(), []);
    await connection.close();
  });

  test("bad filters are -32602 before any acknowledgement", async () => {
    const client = await createTestClient(server(), { era: "modern" });
    try {
      const bad: [unknown, RegExp][] = [
        [undefined, /"notifications" must be an object/],
        [{ toolsListChanged: "yes" }, /toolsListChanged" must be a boolean/],
        [{ resourceSubscriptions: [1] }, /must be an array of URIs/],
        [
          { resourceSubscriptions: Array.from({ length: 1001 }, (_, i) => `live://${i}`) },
          /at most 1000 resource subscriptions/,
        ],
      ];
      for (const [notifications, message] of bad) {
        await assert.rejects(client.request("subscriptions/listen", { notifications }), (error) => {
          assert.equal((error as McpError).code, -32602);
          assert.match((error as McpError).message, message);
          return true;
        });
      }
      await assert.rejects(client.request("resources/subscribe", { uri: "live://a" }), (error) => {
        assert.equal((error as McpError).code, -32601, "resources/subscribe is gone in 2026-07-28");
        return true;
      });
      assert.deepEqual(client.notifications, []);
    } finally {
      await client.close();
    }
  });
});

describe("across processes", () => {
  test("an update published by one instance reaches subscribers of another through shared stores and bus", async () => {
    // Two instances of one server, as two processes would run it against Redis.
    const shared = {
      bus: new MemoryBus(),
      sessionStore: new MemorySessionStore(),
      subscriptionStore: new MemorySubscriptionStore(),
    };
    const [first, second] = [server(shared), server(shared)];
    const legacy = await createTestClient(first);
    const modern = await createTestClient(first, { era: "modern" });
    const controller = new AbortController();
    try {
      await legacy.request("resources/subscribe", { uri: "live://shared" });
      const listening = modern.request(
        "subscriptions/listen",
        { notifications: { resourceSubscriptions: ["live://shared"] } },
        { signal: controller.signal },
      );
      listening.catch(() => {});
      await turn();
      await second.notifyResourceUpdated("live://shared");
      await turn();
      assert.deepEqual(
        updates(legacy).map((n) => n.params?.uri),
        ["live://shared"],
      );
      assert.deepEqual(
        updates(modern).map((n) => n.params?.uri),
        ["live://shared"],
      );
    } finally {
      controller.abort();
      await legacy.close();
      await modern.close();
    }
  });
});
