/**
 * What every runtime must serve of examples/runtimes/example-server.ts,
 * driven by the official clients: the v1 SDK over the legacy era (a stateful
 * session: progress and elicitation travel as server-to-client messages) and
 * the v2 client pinned to 2026-07-28 (elicitation as a multi round-trip ask),
 * plus the v1 client spawning a stdio entry.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Http,
} from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Agent, fetch as undiciFetch } from "undici";
import { v1Client } from "../helpers/clients.ts";
import { v1Http, v2Http } from "../helpers/http.ts";
import { type Running, runtimeEnv, userProject } from "../helpers/runtimes.ts";

type Result = { content?: { text?: string }[] };
const text = (result: object) => (result as Result).content?.[0]?.text;

const ACCEPT = { action: "accept", content: { name: "Ada" } } as const;
const COUNTDOWN = ["3...", "2...", "1..."];

export async function legacyHttp(url: string): Promise<void> {
  const asked: string[] = [];
  const { client, wire, close } = await v1Http(url, {
    capabilities: { elicitation: { form: {} } },
    handlers: (c) =>
      c.setRequestHandler(ElicitRequestSchema, (request) => {
        asked.push(request.params.message);
        return ACCEPT;
      }),
  });
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ["add", "count_down", "greet_user"]);
    assert.equal(text(await client.callTool({ name: "add", arguments: { a: 2, b: 40 } })), "42");
    const progress: string[] = [];
    const done = await client.callTool({ name: "count_down", arguments: { from: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ""),
    });
    assert.deepEqual([...progress, text(done)], [...COUNTDOWN, "Lift-off"]);
    assert.equal(text(await client.callTool({ name: "greet_user", arguments: {} })), "Hello, Ada!");
    assert.deepEqual(asked, ["What is your name?"]);
    const bad = await client.callTool({ name: "count_down", arguments: { from: 99 } });
    assert.equal(bad.isError, true);

    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((template) => template.uriTemplate),
      ["runtime://greetings/{name}"],
    );
    const read = await client.readResource({ uri: "runtime://greetings/Bob" });
    assert.deepEqual(read.contents, [
      { uri: "runtime://greetings/Bob", mimeType: "text/plain", text: "Greetings, Bob." },
    ]);
    const prompt = await client.getPrompt({ name: "summarize", arguments: { text: "MCP." } });
    assert.deepEqual(prompt.messages, [
      {
        role: "user",
        content: { type: "text", text: "Summarize this in one sentence:\n\nMCP." },
      },
    ]);
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
}

export async function modernHttp(url: string): Promise<void> {
  const asked: string[] = [];
  const { client, wire, close } = await v2Http(
    url,
    { pin: "2026-07-28" },
    {
      capabilities: { elicitation: { form: {} } },
      handlers: (c) =>
        c.setRequestHandler("elicitation/create", (request) => {
          asked.push((request.params as { message: string }).message);
          return ACCEPT;
        }),
    },
  );
  try {
    const { tools } = await client.listTools();
    assert.equal(tools.length, 3);
    assert.equal(text(await client.callTool({ name: "add", arguments: { a: 1, b: 2 } })), "3");
    const progress: string[] = [];
    const done = await client.callTool(
      { name: "count_down", arguments: { from: 3 } },
      { onprogress: (p: { message?: string }) => progress.push(p.message ?? "") },
    );
    assert.deepEqual([...progress, text(done)], [...COUNTDOWN, "Lift-off"]);
    // Multi round-trip: the call returns an input request, the client answers and retries.
    const greeted = await client.callTool({ name: "greet_user", arguments: {} });
    assert.equal(text(greeted), "Hello, Ada!");
    assert.deepEqual(asked, ["What is your name?"]);
    const read = await client.readResource({ uri: "runtime://greetings/Bob" });
    assert.equal((read.contents[0] as { text?: string }).text, "Greetings, Bob.");
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
}

/** The official v1 client spawns the stdio entry with `command args` and calls a tool. */
export async function stdio(command: string, args: string[]): Promise<void> {
  const transport = new StdioClientTransport({
    command,
    args,
    cwd: userProject(),
    env: runtimeEnv(),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = v1Client({});
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion()?.name, "Runtime example", stderr);
    const result = await client.callTool({ name: "add", arguments: { a: 20, b: 22 } });
    assert.equal(text(result), "42", stderr);
  } finally {
    await client.close();
  }
}

/** A call whose tool answers after `ms`, sending nothing before: `sleep` from {@link withSlowTool}. */
export async function slowCall(url: string, ms: number): Promise<void> {
  const { client, close } = await v1Http(url);
  try {
    const result = await client.callTool({ name: "sleep", arguments: { ms } }, undefined, {
      timeout: ms + 30_000,
    });
    assert.equal(text(result), "awake");
  } finally {
    await close();
  }
}

/** The example server plus a `sleep` tool, for a project's example-server.ts. */
export const withSlowTool = `import { z } from "zod";
import { createExampleServer as example } from "./example-server.original.ts";

export { LOOPBACK_HOSTS } from "./example-server.original.ts";

export function createExampleServer(options: Parameters<typeof example>[0]) {
  const mcp = example(options);
  mcp.tool("sleep", { input: { ms: z.number() } }, async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return "awake";
  });
  return mcp;
}
`;

/** The example server plus a `whoami` tool that answers the address the server saw. */
export const withAddressTool = `import { createExampleServer as example } from "./example-server.original.ts";

export { LOOPBACK_HOSTS } from "./example-server.original.ts";

export function createExampleServer(options: Parameters<typeof example>[0]) {
  const mcp = example(options);
  mcp.tool("whoami", (_args, ctx) => ctx.http?.remoteAddress ?? "unknown");
  return mcp;
}
`;

/**
 * The v2 client, connecting from 127.0.0.2 (Linux answers every 127/8
 * address), is told that address by `whoami`: the runtime handed it over.
 */
export async function addressSeen(url: string): Promise<void> {
  const dispatcher = new Agent({ localAddress: "127.0.0.2" });
  const fetchFrom = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  const client = new V2Client(
    { name: "address-check", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  try {
    await client.connect(new V2Http(new URL(url), { fetch: fetchFrom }));
    assert.equal(text(await client.callTool({ name: "whoami", arguments: {} })), "127.0.0.2");
  } finally {
    await client.close();
    await dispatcher.close();
  }
}

/**
 * DNS rebinding: a page on another domain that resolves to 127.0.0.1 sends its
 * own name as Host and must be refused (fetch cannot set Host; node:http can).
 */
export async function rebindingRefused(url: string): Promise<void> {
  const status = (host: string) =>
    new Promise<number | undefined>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
      const req = request(url, {
        method: "POST",
        headers: {
          host,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2026-07-28",
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end(body);
    });
  assert.equal(await status("evil.example"), 403);
  assert.notEqual(await status(new URL(url).host), 403);
}

/**
 * What every HTTP entry must do: serve the v1 client (legacy) and the v2
 * client (2026-07-28), refuse a foreign Host, and exit 0 on SIGTERM.
 */
export async function servesBothErasThenStops(server: Running): Promise<void> {
  try {
    await legacyHttp(server.url);
    await modernHttp(server.url);
    await rebindingRefused(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // SIGTERM closes the server and ends the process cleanly.
  assert.equal(await server.stop(), 0);
}
