/** list_changed for tools, resources and prompts after start, coalesced, in both eras, through the official clients. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { FastMCP } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { v1InMemory, v2InMemory } from "../helpers/clients.ts";

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

function server() {
  const mcp = new FastMCP("Changes");
  mcp.tool("t", () => "");
  const resource = mcp.resource("r://fixed", () => "");
  const template = mcp.resource("r://{id}", () => "");
  const prompt = mcp.prompt("p", () => "");
  return { mcp, resource, template, prompt };
}

/** Every kind of change, one per tick, each followed by what the client should hear. */
async function changeEverything(parts: ReturnType<typeof server>, heard: () => string[]) {
  const { mcp, resource, template, prompt } = parts;
  const steps: [() => void, string[]][] = [
    [() => mcp.resource("r://added", () => ""), ["resources"]],
    [() => resource.disable(), ["resources"]],
    [() => resource.enable(), ["resources"]],
    [() => template.update({ description: "changed" }), ["resources"]],
    [() => template.remove(), ["resources"]],
    [() => mcp.prompt("q", () => ""), ["prompts"]],
    [() => prompt.disable(), ["prompts"]],
    [
      () => {
        // Several changes in one tick are one notification per kind.
        prompt.enable();
        mcp.prompt("r", () => "");
        mcp.resource("r://more", () => "");
        mcp.tool("u", () => "");
      },
      ["prompts", "resources", "tools"],
    ],
  ];
  const expected: string[] = [];
  for (const [change, kinds] of steps) {
    change();
    await turn();
    expected.push(...kinds);
    assert.deepEqual([...heard()].sort(), [...expected].sort());
  }
}

test("legacy era (v1 client): every add, remove, enable, disable and update is announced", async () => {
  const parts = server();
  const connection = await v1InMemory(parts.mcp);
  const heard: string[] = [];
  connection.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    heard.push("tools");
  });
  connection.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    heard.push("resources");
  });
  connection.client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
    heard.push("prompts");
  });
  try {
    await changeEverything(parts, () => heard);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
});

test("2026-07-28 (v2 client): announced on a subscriptions/listen stream", async () => {
  const parts = server();
  const connection = await v2InMemory(parts.mcp, { pin: "2026-07-28" });
  const heard: string[] = [];
  connection.client.setNotificationHandler("notifications/tools/list_changed", () => {
    heard.push("tools");
  });
  connection.client.setNotificationHandler("notifications/resources/list_changed", () => {
    heard.push("resources");
  });
  connection.client.setNotificationHandler("notifications/prompts/list_changed", () => {
    heard.push("prompts");
  });
  try {
    const subscription = await connection.client.listen({
      toolsListChanged: true,
      resourcesListChanged: true,
      promptsListChanged: true,
    });
    assert.deepEqual(subscription.honoredFilter, {
      toolsListChanged: true,
      resourcesListChanged: true,
      promptsListChanged: true,
    });
    await changeEverything(parts, () => heard);
    await subscription.close();
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
});

test("2026-07-28: nothing is sent outside a listen stream, and only the kinds it asked for", async () => {
  const parts = server();
  const quiet = await createTestClient(parts.mcp, { era: "modern" });
  const promptsOnly = await createTestClient(parts.mcp, { era: "modern" });
  const controller = new AbortController();
  try {
    promptsOnly
      .request(
        "subscriptions/listen",
        { notifications: { promptsListChanged: true } },
        { signal: controller.signal },
      )
      .catch(() => {});
    await turn();
    parts.mcp.tool("another", () => "");
    parts.mcp.prompt("another", () => "");
    await turn();
    assert.deepEqual(quiet.notifications, []);
    assert.deepEqual(
      promptsOnly.notifications.map((n) => n.method),
      ["notifications/subscriptions/acknowledged", "notifications/prompts/list_changed"],
    );
  } finally {
    controller.abort();
    await quiet.close();
    await promptsOnly.close();
  }
});

test("changes before start announce nothing", async () => {
  const parts = server();
  parts.mcp.resource("r://early", () => "");
  const client = await createTestClient(parts.mcp);
  try {
    await turn();
    assert.deepEqual(client.notifications, []);
  } finally {
    await client.close();
  }
});
