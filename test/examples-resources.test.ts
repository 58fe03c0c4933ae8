/** The seed's resource and prompt examples, driven by the official v1 client (legacy) and v2 client (2026-07-28). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { FastMCP } from "../src/index.ts";
import { v1InMemory, v2InMemory } from "./helpers/clients.ts";
import {
  connectEra,
  connectEraStdio,
  ERAS,
  type EraConnection,
  type EraName,
  NOT_FOUND,
  rpcError,
} from "./helpers/eras.ts";

async function inEra<L>(
  server: FastMCP<L>,
  era: EraName,
  body: (connection: EraConnection) => Promise<void>,
): Promise<void> {
  const connection = await connectEra(server, era);
  try {
    await body(connection);
    assert.deepEqual(connection.wire.problems(), []);
  } finally {
    await connection.close();
  }
}

type Contents = { uri: string; mimeType?: string; text?: string; blob?: string }[];

describe("resource examples", () => {
  for (const era of ERAS) {
    test(`static-resource: config://settings as JSON (${era})`, async () => {
      const { mcp } = await import("../examples/static-resource.ts");
      await inEra(mcp, era, async ({ client }) => {
        assert.deepEqual(client.getServerCapabilities()?.resources, {
          subscribe: true,
          listChanged: true,
        });
        const { resources } = await client.listResources();
        assert.deepEqual(resources, [
          {
            uri: "config://settings",
            name: "config://settings",
            description: "Get application settings.",
          },
        ]);
        const { contents } = await client.readResource({ uri: "config://settings" });
        assert.deepEqual(contents, [
          {
            uri: "config://settings",
            mimeType: "application/json",
            text: '{"theme":"dark","language":"en"}',
          },
        ]);
      });
    });

    test(`resource-templates: documents and data by parameters (${era})`, async () => {
      const { mcp } = await import("../examples/resource-templates.ts");
      await inEra(mcp, era, async ({ client }) => {
        const { resourceTemplates } = await client.listResourceTemplates();
        assert.deepEqual(resourceTemplates, [
          {
            uriTemplate: "file://documents/{doc_id}",
            name: "file://documents/{doc_id}",
            description: "Read document by ID.",
            mimeType: "text/markdown",
          },
          {
            uriTemplate: "data://{category}/{item_id}",
            name: "data://{category}/{item_id}",
            description: "Get data by category and item.",
          },
        ]);
        const { resources } = await client.listResources();
        assert.deepEqual(resources, [
          { uri: "file://documents/readme", name: "readme", mimeType: "text/markdown" },
          { uri: "file://documents/changelog", name: "changelog", mimeType: "text/markdown" },
        ]);
        const readme = await client.readResource({ uri: "file://documents/readme" });
        assert.deepEqual(readme.contents, [
          {
            uri: "file://documents/readme",
            mimeType: "text/markdown",
            text: "# Read me\nStart here.",
          },
        ]);
        const data = await client.readResource({ uri: "data://books/42" });
        assert.equal((data.contents as Contents)[0]?.text, "Data for books/42");
        const missing = await rpcError(client.readResource({ uri: "file://documents/nope" }));
        assert.equal(missing.code, NOT_FOUND[era]);
        assert.deepEqual(missing.data, { uri: "file://documents/nope" });
        const unmatched = await rpcError(client.readResource({ uri: "data://only-one-segment" }));
        assert.equal(unmatched.code, NOT_FOUND[era]);
      });
    });

    test(`binary-resource: PNG bytes round-trip as a base64 blob (${era})`, async () => {
      const { mcp, loadPhotoBytes } = await import("../examples/binary-resource.ts");
      await inEra(mcp, era, async ({ client }) => {
        const { contents } = await client.readResource({ uri: "image://photos/red-pixel" });
        const [photo] = contents as Contents;
        assert.equal(photo?.mimeType, "image/png");
        assert.equal(photo?.uri, "image://photos/red-pixel");
        const bytes = Buffer.from(photo?.blob ?? "", "base64");
        assert.deepEqual(new Uint8Array(bytes), new Uint8Array(loadPhotoBytes("red-pixel") ?? []));
        assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG");
      });
    });
  }

  test("resource-subscriptions (legacy): only the subscribed client hears of updates", async () => {
    const { mcp, updateMetrics } = await import("../examples/resource-subscriptions.ts");
    const [subscriber, bystander] = [await v1InMemory(mcp), await v1InMemory(mcp)];
    try {
      const heard: Record<string, string[]> = { subscriber: [], bystander: [] };
      let notified: () => void = () => {};
      subscriber.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.subscriber?.push(n.params.uri);
        notified();
      });
      bystander.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        heard.bystander?.push(n.params.uri);
      });
      await subscriber.client.subscribeResource({ uri: "live://metrics" });
      const arrived = new Promise<void>((resolve) => {
        notified = resolve;
      });
      await updateMetrics();
      await arrived;
      const { contents } = await subscriber.client.readResource({ uri: "live://metrics" });
      assert.equal(JSON.parse((contents as Contents)[0]?.text ?? "{}").requests, 10);

      await subscriber.client.unsubscribeResource({ uri: "live://metrics" });
      await updateMetrics();
      // A round trip on each channel after the update: anything sent before it has arrived.
      await Promise.all([subscriber.client.ping(), bystander.client.ping()]);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(heard, { subscriber: ["live://metrics"], bystander: [] });
      assert.deepEqual(subscriber.wire.problems(), []);
      assert.deepEqual(bystander.wire.problems(), []);
    } finally {
      await subscriber.close();
      await bystander.close();
    }
  });

  test("resource-subscriptions (2026-07-28): a listen stream hears of updates until closed", async () => {
    const { mcp, updateMetrics } = await import("../examples/resource-subscriptions.ts");
    const [listener, bystander] = [
      await v2InMemory(mcp, { pin: "2026-07-28" }),
      await v2InMemory(mcp, { pin: "2026-07-28" }),
    ];
    try {
      const heard: Record<string, string[]> = { listener: [], bystander: [] };
      let notified: () => void = () => {};
      listener.client.setNotificationHandler("notifications/resources/updated", (n) => {
        heard.listener?.push(n.params.uri);
        notified();
      });
      bystander.client.setNotificationHandler("notifications/resources/updated", (n) => {
        heard.bystander?.push(n.params.uri);
      });
      const subscription = await listener.client.listen({
        resourceSubscriptions: ["live://metrics"],
      });
      assert.deepEqual(subscription.honoredFilter, { resourceSubscriptions: ["live://metrics"] });
      const arrived = new Promise<void>((resolve) => {
        notified = resolve;
      });
      await updateMetrics();
      await arrived;
      const update = listener.wire.received.find(
        (message) => message.method === "notifications/resources/updated",
      );
      const listenId = listener.wire.sent.find((m) => m.method === "subscriptions/listen")?.id;
      assert.deepEqual(update?.params, {
        uri: "live://metrics",
        _meta: { "io.modelcontextprotocol/subscriptionId": listenId },
      });

      await subscription.close();
      assert.equal(await subscription.closed, "local");
      await updateMetrics();
      await Promise.all([listener.client.listResources(), bystander.client.listResources()]);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(heard, { listener: ["live://metrics"], bystander: [] });
      assert.deepEqual(listener.wire.problems(), []);
      assert.deepEqual(bystander.wire.problems(), []);
    } finally {
      await listener.close();
      await bystander.close();
    }
  });

  for (const era of ERAS) {
    test(`resource-templates over stdio (${era})`, async () => {
      const connection = await connectEraStdio("examples/resource-templates.ts", era);
      try {
        const { contents } = await connection.client.readResource({
          uri: "file://documents/changelog",
        });
        assert.equal((contents as Contents)[0]?.text, "## 1.0.0\nFirst release.");
        const missing = await rpcError(
          connection.client.readResource({ uri: "file://documents/none" }),
        );
        assert.equal(missing.code, NOT_FOUND[era]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });
  }
});

describe("prompt examples", () => {
  for (const era of ERAS) {
    test(`prompts: greet_user and analyze_with_context (${era})`, async () => {
      const { mcp } = await import("../examples/prompts.ts");
      await inEra(mcp, era, async ({ client, wire }) => {
        assert.deepEqual(client.getServerCapabilities()?.prompts, { listChanged: true });
        const { prompts } = await client.listPrompts();
        assert.deepEqual(prompts, [
          {
            name: "greet_user",
            description: "Generate greeting prompt.",
            arguments: [
              { name: "name", required: true },
              { name: "style", required: false },
            ],
          },
          {
            name: "analyze_with_context",
            description: "Generate analysis prompt with image.",
            arguments: [
              { name: "topic", required: true },
              { name: "image_url", required: true },
            ],
          },
        ]);
        const friendly = await client.getPrompt({ name: "greet_user", arguments: { name: "Ada" } });
        assert.deepEqual(
          { description: friendly.description, messages: friendly.messages },
          {
            description: "Generate greeting prompt.",
            messages: [
              {
                role: "user",
                content: { type: "text", text: "Please write a warm, friendly greeting for Ada." },
              },
            ],
          },
        );
        const raw = wire.received.at(-1)?.result as Record<string, unknown>;
        if (era === "modern") {
          assert.equal(raw.resultType, "complete");
          assert.equal(raw.ttlMs, undefined, "prompts/get is not cacheable");
        } else assert.equal(raw.resultType, undefined);
        const formal = await client.getPrompt({
          name: "greet_user",
          arguments: { name: "Ada", style: "formal" },
        });
        assert.equal(
          (formal.messages[0]?.content as { text?: string } | undefined)?.text,
          "Please write a formal, professional greeting for Ada.",
        );
        const analysis = await client.getPrompt({
          name: "analyze_with_context",
          arguments: { topic: "sunsets", image_url: "https://example.com/sunset.png" },
        });
        assert.deepEqual(analysis.messages, [
          {
            role: "user",
            content: { type: "text", text: "Analyze the following image in context of: sunsets" },
          },
          {
            role: "user",
            content: {
              type: "resource_link",
              uri: "https://example.com/sunset.png",
              name: "image",
            },
          },
        ]);
        const missing = await rpcError(client.getPrompt({ name: "greet_user", arguments: {} }));
        assert.equal(missing.code, -32602);
        assert.match(missing.message, /Missing required argument for prompt "greet_user": name/);
        const invalid = await rpcError(
          client.getPrompt({
            name: "analyze_with_context",
            arguments: { topic: "x", image_url: "not a url" },
          }),
        );
        assert.equal(invalid.code, -32602);
        assert.match(invalid.message, /image_url: /);
      });
    });
  }

  test("prompts over stdio (2026-07-28)", async () => {
    const connection = await connectEraStdio("examples/prompts.ts", "modern");
    try {
      const result = await connection.client.getPrompt({
        name: "greet_user",
        arguments: { name: "Lin", style: "casual" },
      });
      assert.equal(
        (result.messages[0]?.content as { text?: string } | undefined)?.text,
        "Please write a casual, relaxed greeting for Lin.",
      );
      assert.deepEqual(connection.wire.problems(), []);
    } finally {
      await connection.close();
    }
  });

  for (const era of ERAS) {
    test(`completions: prompt arguments and template parameters (${era})`, async () => {
      const { mcp } = await import("../examples/completions.ts");
      await inEra(mcp, era, async ({ client }) => {
        assert.deepEqual(client.getServerCapabilities()?.completions, {});
        const language = await client.complete({
          ref: { type: "ref/prompt", name: "code_review" },
          argument: { name: "language", value: "py" },
        });
        assert.deepEqual(language.completion, { values: ["python"], total: 1, hasMore: false });
        const framework = await client.complete({
          ref: { type: "ref/prompt", name: "code_review" },
          argument: { name: "framework", value: "f" },
          context: { arguments: { language: "python" } },
        });
        assert.deepEqual(framework.completion.values, ["fastapi", "flask"]);
        const repo = await client.complete({
          ref: { type: "ref/resource", uri: "github://repos/{owner}/{repo}" },
          argument: { name: "repo", value: "h" },
          context: { arguments: { owner: "honojs" } },
        });
        assert.deepEqual(repo.completion.values, ["hono"]);
        const { contents } = await client.readResource({ uri: "github://repos/honojs/hono" });
        assert.equal((contents as Contents)[0]?.text, "# honojs/hono");
      });
    });
  }
});
