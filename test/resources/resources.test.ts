/** What resource handlers return and how it reaches clients, in every version; errors; lists and pagination. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FastMCP, McpError, ResourceResult } from "../../src/index.ts";
import { createTestClient } from "../../src/testing/index.ts";
import { connectEra, ERAS, type EraName, NOT_FOUND, rpcError } from "../helpers/eras.ts";
import { validateWire } from "../helpers/wire.ts";

type Contents = Record<string, unknown>[];

function returnsServer(): FastMCP {
  const mcp = new FastMCP("Returns", { logger: silent });
  mcp.resource("r://text", () => "plain text");
  mcp.resource("r://markdown", { mimeType: "text/markdown" }, () => "# Title");
  mcp.resource("r://bytes", () => new Uint8Array([0, 1, 2, 253, 254, 255]));
  mcp.resource("r://buffer", { mimeType: "image/png" }, () => Buffer.from([137, 80, 78, 71]));
  mcp.resource("r://arraybuffer", () => new Uint8Array([9, 8, 7]).buffer);
  mcp.resource("r://object", () => ({ ok: true, n: 1 }));
  mcp.resource("r://array", () => [1, "two"]);
  mcp.resource(
    "r://several",
    () =>
      new ResourceResult(
        [
          { text: "first", mimeType: "text/plain" },
          { uri: "r://several/logo", blob: new Uint8Array([1, 2, 3]), mimeType: "image/png" },
          { uri: "r://several/b64", blob: "AAE=", meta: { note: "kept" } },
        ],
        { meta: { source: "test" } },
      ),
  );
  mcp.resource("r://wire", () => [
    { uri: "r://wire/a", text: "a" },
    { uri: "r://wire/b", blob: "AQ==", mimeType: "application/octet-stream" },
  ]);
  mcp.resource("r://empty-string", () => "");
  mcp.resource("r://missing", () => undefined);
  mcp.resource("r://fails", () => {
    throw new Error("disk on fire");
  });
  mcp.resource("r://refuses", () => {
    throw new McpError(-32602, "Not for you", { why: "policy" });
  });
  mcp.resource("r://map", () => new Map([["a", 1]]));
  return mcp;
}

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

describe("what a handler returns", () => {
  for (const era of ERAS) {
    test(`becomes text, blobs or JSON (${era})`, async () => {
      const connection = await connectEra(returnsServer(), era);
      const read = async (uri: string) =>
        (await connection.client.readResource({ uri })).contents as Contents;
      try {
        assert.deepEqual(await read("r://text"), [
          { uri: "r://text", mimeType: "text/plain", text: "plain text" },
        ]);
        assert.deepEqual(await read("r://markdown"), [
          { uri: "r://markdown", mimeType: "text/markdown", text: "# Title" },
        ]);
        assert.deepEqual(await read("r://bytes"), [
          { uri: "r://bytes", mimeType: "application/octet-stream", blob: "AAEC/f7/" },
        ]);
        assert.deepEqual(await read("r://buffer"), [
          { uri: "r://buffer", mimeType: "image/png", blob: "iVBORw==" },
        ]);
        assert.deepEqual(await read("r://arraybuffer"), [
          { uri: "r://arraybuffer", mimeType: "application/octet-stream", blob: "CQgH" },
        ]);
        assert.deepEqual(await read("r://object"), [
          { uri: "r://object", mimeType: "application/json", text: '{"ok":true,"n":1}' },
        ]);
        assert.deepEqual(await read("r://array"), [
          { uri: "r://array", mimeType: "application/json", text: '[1,"two"]' },
        ]);
        assert.deepEqual(await read("r://several"), [
          { uri: "r://several", mimeType: "text/plain", text: "first" },
          { uri: "r://several/logo", mimeType: "image/png", blob: "AQID" },
          { uri: "r://several/b64", blob: "AAE=", _meta: { note: "kept" } },
        ]);
        assert.deepEqual(await read("r://wire"), [
          { uri: "r://wire/a", text: "a" },
          { uri: "r://wire/b", blob: "AQ==", mimeType: "application/octet-stream" },
        ]);
        assert.deepEqual(await read("r://empty-string"), [
          { uri: "r://empty-string", mimeType: "text/plain", text: "" },
        ]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });

    test(`errors: not found, failures, refusals (${era})`, async () => {
      const connection = await connectEra(returnsServer(), era);
      try {
        for (const uri of ["r://missing", "r://nothing-registered", "other://x"]) {
          const error = await rpcError(connection.client.readResource({ uri }));
          assert.equal(error.code, NOT_FOUND[era], uri);
          assert.deepEqual(error.data, { uri });
          assert.match(error.message, /Resource not found/);
        }
        const failed = await rpcError(connection.client.readResource({ uri: "r://fails" }));
        assert.equal(failed.code, -32603);
        assert.match(failed.message, /Error reading resource r:\/\/fails: disk on fire/);
        const refused = await rpcError(connection.client.readResource({ uri: "r://refuses" }));
        assert.equal(refused.code, -32602);
        assert.match(refused.message, /Not for you$/);
        const unconvertible = await rpcError(connection.client.readResource({ uri: "r://map" }));
        assert.equal(unconvertible.code, -32603);
        assert.match(unconvertible.message, /Map whose JSON form is empty/);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    });
  }

  test("maskErrorDetails hides a failing handler's message", async () => {
    const mcp = new FastMCP("Masked", { maskErrorDetails: true, logger: silent });
    mcp.resource("r://fails", () => {
      throw new Error("secret path /etc/x");
    });
    const client = await createTestClient(mcp);
    try {
      await assert.rejects(client.request("resources/read", { uri: "r://fails" }), (error) => {
        assert.equal((error as McpError).code, -32603);
        assert.equal((error as McpError).message, "Error reading resource r://fails");
        return true;
      });
    } finally {
      await client.close();
    }
  });

  test("bad requests are -32602 and name the problem", async () => {
    const client = await createTestClient(returnsServer());
    try {
      for (const params of [{}, { uri: 42 }, { uri: "" }]) {
        await assert.rejects(client.request("resources/read", params), (error) => {
          assert.equal((error as McpError).code, -32602);
          assert.match((error as McpError).message, /"uri" must be a non-empty string/);
          return true;
        });
      }
    } finally {
      await client.close();
    }
  });
});

describe("definitions by protocol version", () => {
  function detailed(): FastMCP {
    const mcp = new FastMCP("Detailed");
    const details = {
      name: "Settings",
      title: "App settings",
      description: "The settings.",
      mimeType: "application/json",
      annotations: {
        audience: ["user" as const],
        priority: 0.5,
        lastModified: "2025-01-12T15:00:58Z",
      },
      icons: [{ src: "https://example.com/i.png", mimeType: "image/png" }],
      meta: { "example.com/k": 1 },
    };
    mcp.resource(
      "config://settings",
      { ...details, size: 12 },
      () => new ResourceResult([{ text: "{}", meta: { "example.com/c": true } }]),
    );
    mcp.resource("config://{section}", details, () => "{}");
    return mcp;
  }

  const expected: Record<string, { resource: object; template: object; contents: object }> = {
    "2024-11-05": {
      resource: {
        uri: "config://settings",
        name: "Settings",
        description: "The settings.",
        mimeType: "application/json",
        annotations: { audience: ["user"], priority: 0.5 },
        size: 12,
      },
      template: {
        uriTemplate: "config://{section}",
        name: "Settings",
        description: "The settings.",
        mimeType: "application/json",
        annotations: { audience: ["user"], priority: 0.5 },
      },
      contents: { uri: "config://settings", mimeType: "application/json", text: "{}" },
    },
    "2025-06-18": {
      resource: {
        uri: "config://settings",
        name: "Settings",
        title: "App settings",
        description: "The settings.",
        mimeType: "application/json",
        annotations: { audience: ["user"], priority: 0.5, lastModified: "2025-01-12T15:00:58Z" },
        _meta: { "example.com/k": 1 },
        size: 12,
      },
      template: {
        uriTemplate: "config://{section}",
        name: "Settings",
        title: "App settings",
        description: "The settings.",
        mimeType: "application/json",
        annotations: { audience: ["user"], priority: 0.5, lastModified: "2025-01-12T15:00:58Z" },
        _meta: { "example.com/k": 1 },
      },
      contents: {
        uri: "config://settings",
        mimeType: "application/json",
        text: "{}",
        _meta: { "example.com/c": true },
      },
    },
  };
  const icons = [{ src: "https://example.com/i.png", mimeType: "image/png" }];
  expected["2025-11-25"] = {
    resource: { ...expected["2025-06-18"]?.resource, icons },
    template: { ...expected["2025-06-18"]?.template, icons },
    contents: expected["2025-06-18"]?.contents as object,
  };

  for (const version of ["2024-11-05", "2025-06-18", "2025-11-25"] as const) {
    test(`a ${version} client sees the fields its version defines`, async () => {
      const client = await createTestClient(detailed(), { protocolVersion: version });
      try {
        const listed = await client.request("resources/list");
        const templates = await client.request("resources/templates/list");
        const read = await client.request("resources/read", { uri: "config://settings" });
        assert.deepEqual(listed.resources, [expected[version]?.resource]);
        assert.deepEqual(templates.resourceTemplates, [expected[version]?.template]);
        assert.deepEqual(read.contents, [expected[version]?.contents]);
        assert.deepEqual(validateWire(version, "ListResourcesResult", listed), []);
        assert.deepEqual(validateWire(version, "ListResourceTemplatesResult", templates), []);
        assert.deepEqual(validateWire(version, "ReadResourceResult", read), []);
      } finally {
        await client.close();
      }
    });
  }

  test("a 2026-07-28 client gets everything, with cache hints on lists and reads", async () => {
    const client = await createTestClient(detailed(), { era: "modern" });
    try {
      const listed = await client.request("resources/list");
      const read = await client.request("resources/read", { uri: "config://settings" });
      assert.deepEqual(listed.resources, [expected["2025-11-25"]?.resource]);
      for (const result of [listed, read]) {
        assert.equal(result.ttlMs, 0);
        assert.equal(result.cacheScope, "private");
        assert.equal(result.resultType, "complete");
      }
      assert.deepEqual(validateWire("2026-07-28", "ListResourcesResult", listed), []);
      assert.deepEqual(validateWire("2026-07-28", "ReadResourceResult", read), []);
    } finally {
      await client.close();
    }
  });

  test("registration refuses bad metadata with a clear message", () => {
    const mcp = new FastMCP("bad");
    assert.throws(
      () => mcp.resource("a://b", { annotations: { priority: 2 } }, () => ""),
      /priority must be a number from 0 to 1/,
    );
    assert.throws(
      () => mcp.resource("a://b", { size: -1 }, () => ""),
      /size must be a non-negative integer/,
    );
    assert.throws(
      () => mcp.resource("a://b", { annotations: { audience: ["robot" as "user"] } }, () => ""),
      /audience/,
    );
    mcp.resource("a://b", () => "");
    assert.throws(
      () => mcp.resource("a://b", () => ""),
      /Resource "a:\/\/b" is already registered/,
    );
    assert.throws(
      () => mcp.resource("a://{x}", { list: "no" as never }, () => ""),
      /list must be a function/,
    );
  });
});

describe("template listings", () => {
  test("a template's list callback puts concrete resources in resources/list", async () => {
    const mcp = new FastMCP("Listing");
    const docs = ["a b", "c/d"];
    mcp.resource("config://app", () => "{}");
    mcp.resource(
      "docs://{owner}/{name}",
      {
        mimeType: "text/markdown",
        description: "A document.",
        list: () =>
          docs.map((name) => ({ params: { owner: "me", name }, title: `Doc ${name}`, size: 3 })),
      },
      ({ owner, name }) => `${owner}:${name}`,
    );
    for (const era of ERAS) {
      const connection = await connectEra(mcp, era);
      try {
        const { resources } = await connection.client.listResources();
        assert.deepEqual(resources, [
          { uri: "config://app", name: "config://app" },
          {
            uri: "docs://me/a%20b",
            name: "docs://me/a%20b",
            title: "Doc a b",
            mimeType: "text/markdown",
            size: 3,
          },
          {
            uri: "docs://me/c%2Fd",
            name: "docs://me/c%2Fd",
            title: "Doc c/d",
            mimeType: "text/markdown",
            size: 3,
          },
        ]);
        // Each listed URI reads back through the template.
        for (const resource of resources.slice(1)) {
          const { contents } = await connection.client.readResource({ uri: resource.uri });
          assert.match((contents[0] as { text: string }).text, /^me:/);
        }
        docs.push("e");
        assert.equal(
          (await connection.client.listResources()).resources.length,
          4,
          "called per listing",
        );
        docs.pop();
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    }
  });

  test("a failing list callback is -32603 naming the template", async () => {
    const mcp = new FastMCP("Listing", { logger: silent });
    mcp.resource(
      "docs://{id}",
      {
        list: () => {
          throw new Error("db down");
        },
      },
      () => "",
    );
    const client = await createTestClient(mcp);
    try {
      await assert.rejects(
        client.request("resources/list"),
        /Error listing the resources of template docs:\/\/\{id\}: db down/,
      );
    } finally {
      await client.close();
    }
  });
});

describe("pagination", () => {
  function many(): FastMCP {
    const mcp = new FastMCP("Pages", { pageSize: 2 });
    for (let i = 0; i < 5; i++) mcp.resource(`r://static/${i}`, () => `${i}`);
    for (let i = 0; i < 3; i++) mcp.resource(`r://t${i}/{id}`, () => `${i}`);
    mcp.resource(
      "r://listed/{id}",
      { list: () => [{ params: { id: "x" } }, { params: { id: "y" } }] },
      () => "",
    );
    for (let i = 0; i < 5; i++) mcp.prompt(`p${i}`, () => `${i}`);
    return mcp;
  }

  async function collect(
    request: (params: Record<string, unknown>) => Promise<Record<string, unknown>>,
    key: string,
  ): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let cursor: unknown;
    let pages = 0;
    do {
      const result = await request(cursor === undefined ? {} : { cursor });
      const items = result[key] as Record<string, string>[];
      assert.ok(items.length <= 2, "at most pageSize items per page");
      names.push(...items.map((item) => item.uri ?? item.uriTemplate ?? item.name ?? ""));
      cursor = result.nextCursor;
      pages++;
    } while (cursor !== undefined);
    return { names, pages };
  }

  for (const era of ["legacy", "modern"] as EraName[]) {
    test(`every list pages with opaque cursors, each item once (${era})`, async () => {
      const client = await createTestClient(many(), { era });
      const request = (method: string) => (params: Record<string, unknown>) =>
        client.request(method, params);
      try {
        const resources = await collect(request("resources/list"), "resources");
        assert.deepEqual(resources.names, [
          "r://static/0",
          "r://static/1",
          "r://static/2",
          "r://static/3",
          "r://static/4",
          "r://listed/x",
          "r://listed/y",
        ]);
        assert.equal(resources.pages, 4);
        const templates = await collect(request("resources/templates/list"), "resourceTemplates");
        assert.deepEqual(templates.names, [
          "r://t0/{id}",
          "r://t1/{id}",
          "r://t2/{id}",
          "r://listed/{id}",
        ]);
        const prompts = await collect(request("prompts/list"), "prompts");
        assert.deepEqual(prompts.names, ["p0", "p1", "p2", "p3", "p4"]);
        for (const method of ["resources/list", "resources/templates/list", "prompts/list"]) {
          await assert.rejects(client.request(method, { cursor: "bogus" }), (error) => {
            assert.equal((error as McpError).code, -32602);
            return true;
          });
        }
      } finally {
        await client.close();
      }
    });
  }

  test("the official clients walk every page", async () => {
    for (const era of ERAS) {
      const connection = await connectEra(many(), era);
      try {
        // The v2 client follows nextCursor itself; the v1 client returns one page at a time.
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await connection.client.listResourceTemplates(
            cursor ? { cursor } : undefined,
          );
          names.push(...page.resourceTemplates.map((template) => template.uriTemplate));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(names, ["r://t0/{id}", "r://t1/{id}", "r://t2/{id}", "r://listed/{id}"]);
        assert.deepEqual(connection.wire.problems(), []);
      } finally {
        await connection.close();
      }
    }
  });
});

describe("handles", () => {
  test("disable, enable, update and remove a resource and a template", async () => {
    const mcp = new FastMCP("Handles");
    const settings = mcp.resource("config://settings", () => "v1");
    const doc = mcp.resource("docs://{id}", ({ id }) => `doc ${id}`);
    const client = await createTestClient(mcp);
    const read = async (uri: string) =>
      ((await client.request("resources/read", { uri })).contents as { text: string }[])[0]?.text;
    try {
      assert.equal(settings.uri, "config://settings");
      settings.disable();
      assert.equal(settings.enabled, false);
      await assert.rejects(read("config://settings"), /Resource not found/);
      assert.deepEqual((await client.request("resources/list")).resources, []);
      settings.enable();
      settings.update({ description: "Now described.", handler: () => "v2" });
      assert.equal(await read("config://settings"), "v2");
      assert.equal(
        ((await client.request("resources/list")).resources as { description?: string }[])[0]
          ?.description,
        "Now described.",
      );
      doc.update({ handler: ({ id }: { id: string }) => `document ${id}` });
      assert.equal(await read("docs://7"), "document 7");
      assert.equal(mcp.getResource("docs://{id}")?.enabled, true);
      doc.remove();
      assert.equal(mcp.getResource("docs://{id}"), undefined);
      assert.throws(() => doc.enable(), /Resource template "docs:\/\/\{id\}" has been removed/);
      await assert.rejects(read("docs://7"), /Resource not found/);
    } finally {
      await client.close();
    }
  });

  test("mcp.readResource reads without a client, and refuses what does not exist", async () => {
    const mcp = returnsServer();
    assert.deepEqual(await mcp.readResource("r://text"), {
      contents: [{ uri: "r://text", mimeType: "text/plain", text: "plain text" }],
    });
    await assert.rejects(mcp.readResource("r://missing"), (error) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, -32002);
      assert.deepEqual(error.data, { uri: "r://missing" });
      return true;
    });
  });
});
