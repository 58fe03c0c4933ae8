/** Resources, prompts, completions and subscriptions over real HTTP, with the official clients in both eras. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { FastMCP } from "../../src/index.ts";
import { type Served, serveHttp, v1Http, v2Http } from "../helpers/http.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildServer(): FastMCP {
  const mcp = new FastMCP("FeatureSet");
  mcp.resource("config://settings", { mimeType: "application/json" }, () => ({ theme: "dark" }));
  mcp.resource("file://documents/{doc_id}", ({ doc_id }) => `Document ${doc_id}`);
  mcp.resource("image://pixel", { mimeType: "image/png" }, () => new Uint8Array([137, 80, 78, 71]));
  mcp.resource("live://metrics", () => "42");
  mcp.prompt(
    "greet_user",
    {
      args: { name: z.string(), style: z.string().default("friendly") },
      complete: {
        style: (value: string) =>
          ["friendly", "formal", "pirate"].filter((s) => s.startsWith(value)),
      },
    },
    ({ name, style }) => `Please write a ${style} greeting for ${name}.`,
  );
  mcp.tool("noop", () => "ok");
  return mcp;
}

describe("the whole feature set over HTTP", () => {
  let served: Served;
  let mcp: FastMCP;
  before(async () => {
    mcp = buildServer();
    served = await serveHttp(mcp);
  });
  after(() => served.stop());

  test("v1 client: resources, templates, binary, prompts, completions", async () => {
    const { client, wire, close } = await v1Http(served.url);
    try {
      const listed = await client.listResources();
      assert.deepEqual(listed.resources.map((r) => r.uri).sort(), [
        "config://settings",
        "image://pixel",
        "live://metrics",
      ]);
      const settings = await client.readResource({ uri: "config://settings" });
      assert.deepEqual(JSON.parse((settings.contents[0] as { text: string }).text), {
        theme: "dark",
      });
      const doc = await client.readResource({ uri: "file://documents/7" });
      assert.equal((doc.contents[0] as { text: string }).text, "Document 7");
      const pixel = await client.readResource({ uri: "image://pixel" });
      assert.equal(
        (pixel.contents[0] as { blob: string }).blob,
        Buffer.from([137, 80, 78, 71]).toString("base64"),
      );
      await assert.rejects(client.readResource({ uri: "file://nowhere" }), { code: -32002 });
      const prompt = await client.getPrompt({ name: "greet_user", arguments: { name: "Ada" } });
      assert.deepEqual(prompt.messages[0]?.content, {
        type: "text",
        text: "Please write a friendly greeting for Ada.",
      });
      const completion = await client.complete({
        ref: { type: "ref/prompt", name: "greet_user" },
        argument: { name: "style", value: "f" },
      });
      assert.deepEqual(completion.completion.values, ["friendly", "formal"]);
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("v1 client: a subscription's updates and list changes arrive on the session's GET stream", async () => {
    const subscriber = await v1Http(served.url);
    const bystander = await v1Http(served.url);
    try {
      const heard: string[] = [];
      subscriber.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.push(`subscriber ${n.params.uri}`);
      });
      subscriber.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        heard.push("subscriber tools changed");
      });
      bystander.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.push(`bystander ${n.params.uri}`);
      });
      await subscriber.client.subscribeResource({ uri: "live://metrics" });
      await sleep(100); // the clients open their GET streams after initializing
      await mcp.notifyResourceUpdated("live://metrics");
      const handle = mcp.tool("added_later", () => "new");
      for (let i = 0; i < 50 && heard.length < 2; i++) await sleep(20);
      assert.deepEqual(heard.sort(), ["subscriber live://metrics", "subscriber tools changed"]);
      handle.remove();
      await subscriber.client.unsubscribeResource({ uri: "live://metrics" });
      heard.length = 0;
      await mcp.notifyResourceUpdated("live://metrics");
      await sleep(100);
      assert.deepEqual(heard, []);
      assert.deepEqual(subscriber.wire.problems(), []);
    } finally {
      await subscriber.close();
      await bystander.close();
    }
  });

  test("v2 client (2026-07-28): resources, prompts, and subscriptions/listen as an SSE stream", async () => {
    const { client, wire, close } = await v2Http(served.url, { pin: "2026-07-28" });
    try {
      const settings = await client.readResource({ uri: "config://settings" });
      assert.equal((settings.contents[0] as { mimeType?: string }).mimeType, "application/json");
      await assert.rejects(
        client.readResource({ uri: "file://nowhere" }),
        (error: { code?: number }) => error.code === -32602,
      );
      const prompt = await client.getPrompt({
        name: "greet_user",
        arguments: { name: "Grace", style: "formal" },
      });
      assert.deepEqual(prompt.messages[0]?.content, {
        type: "text",
        text: "Please write a formal greeting for Grace.",
      });
      const heard: string[] = [];
      client.setNotificationHandler("notifications/resources/updated", (n) => {
        heard.push(n.params.uri);
      });
      const subscription = await client.listen({ resourceSubscriptions: ["live://metrics"] });
      assert.deepEqual(subscription.honoredFilter, { resourceSubscriptions: ["live://metrics"] });
      await mcp.notifyResourceUpdated("live://metrics");
      await mcp.notifyResourceUpdated("live://other");
      for (let i = 0; i < 50 && heard.length < 1; i++) await sleep(20);
      assert.deepEqual(heard, ["live://metrics"]);
      await subscription.close();
      assert.deepEqual(wire.problems(), []);
    } finally {
      await close();
    }
  });

  test("v2 client (legacy): resources and prompts", async () => {
    const { client, close } = await v2Http(served.url, "legacy");
    try {
      const doc = await client.readResource({ uri: "file://documents/x" });
      assert.equal((doc.contents[0] as { text: string }).text, "Document x");
      const prompts = await client.listPrompts();
      assert.deepEqual(
        prompts.prompts.map((p) => p.name),
        ["greet_user"],
      );
    } finally {
      await close();
    }
  });
});
