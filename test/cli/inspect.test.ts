/**
 * `fastmcp-ts inspect`: a file in-process and URLs over HTTP in both eras
 * (a fastmcp-ts server under `run`, and the official v1 SDK's server, which
 * only speaks legacy), human and --json; and its errors.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTestClient } from "../../src/testing/index.ts";
import { CLI_FIXTURES, runCli, startCliHttp } from "../helpers/cli.ts";
import { type SdkServer, serveSdkV1 } from "../helpers/sdk-v1-http.ts";

const inventory = join(CLI_FIXTURES, "inventory.ts");
const KEYS = [
  "serverInfo",
  "protocolVersion",
  "tools",
  "resources",
  "resourceTemplates",
  "prompts",
];

let served: Awaited<ReturnType<typeof startCliHttp>>;
let sdk: SdkServer;
before(async () => {
  [served, sdk] = await Promise.all([
    startCliHttp(["run", inventory, "--transport", "streamable-http", "--port", "0"]),
    serveSdkV1(),
  ]);
});
after(async () => {
  await Promise.all([served?.stop(), sdk?.stop()]);
});

/** A loopback port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The lists as an in-process client of the same server gets them: what --json must repeat exactly. */
async function expectedLists(era: "modern" | "legacy") {
  const { mcp } = await import("../fixtures/cli/inventory.ts");
  const client = await createTestClient(mcp, { era });
  try {
    return {
      tools: await client.listTools(),
      resources: await client.listResources(),
      resourceTemplates: await client.listResourceTemplates(),
      prompts: await client.listPrompts(),
    };
  } finally {
    await client.close();
  }
}

test("inspect a file: every tool (three pages of two), its arguments, output schema and annotations; resources, templates, prompts", async () => {
  const result = await runCli(["inspect", inventory]);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /^cli-inventory 2\.5\.0 - protocol 2026-07-28 \(modern era\)\n/);
  assert.match(out, /\nTools \(6\)\n {2}add {2}\("Add numbers"\)\n {4}Add two numbers\.\n/);
  assert.match(out, /\n {6}a: number \(required\) - the first\n {6}b: number \(required\)\n/);
  assert.match(out, / {4}annotations: readOnlyHint=true idempotentHint=true\n/);
  assert.match(
    out,
    / {6}values: number\[\] \(required\)\n {6}factor: integer \(required\)\n {6}round: boolean = false\n {6}label: string \| null\n {4}output schema: object \{ values, label \}\n/,
  );
  assert.match(out, / {6}mood: "glad" \| "grim" = "glad"\n/);
  assert.match(out, / {2}snapshot\n {4}A tiny picture\.\n {4}arguments: none\n/);
  for (const tool of ["scale", "divide", "greet", "deploy", "snapshot"])
    assert.match(out, new RegExp(`\\n {2}${tool}\\n`), `${tool} listed: every page was read`);
  assert.match(
    out,
    /\nResources \(1\)\n {2}config:\/\/app {2}\(application\/json\)\n {4}The app's settings\.\n/,
  );
  assert.match(out, /\nResource templates \(1\)\n {2}users:\/\/\{id\}\/profile\n/);
  assert.match(
    out,
    /\nPrompts \(1\)\n {2}summarize\n {4}Summarize a text\.\n {4}arguments:\n {6}text \(required\) - what to summarize\n$/,
  );
  assert.doesNotMatch(out, /printed while loading/, "the file's own output stays off stdout");
  assert.match(result.stderr, /printed while loading/);
});

test("inspect a file --json: one document, exactly the list results in either era", async () => {
  for (const era of ["modern", "legacy"] as const) {
    const result = await runCli(["inspect", inventory, "--json", "--era", era]);
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(document), KEYS);
    assert.deepEqual(document.serverInfo, { name: "cli-inventory", version: "2.5.0" });
    assert.equal(document.protocolVersion, era === "modern" ? "2026-07-28" : "2025-11-25");
    assert.deepEqual(
      { ...document, serverInfo: 0, protocolVersion: 0 },
      {
        serverInfo: 0,
        protocolVersion: 0,
        ...(await expectedLists(era)),
      },
    );
  }
});

test("inspect a URL served by fastmcp-ts run: 2026-07-28 by default, legacy when asked, the same lists", async () => {
  const documents: Record<string, Record<string, unknown>> = {};
  for (const era of ["auto", "modern", "legacy"]) {
    const result = await runCli(["inspect", served.url, "--json", "--era", era]);
    assert.equal(result.code, 0, `${era}: ${result.stderr}`);
    documents[era] = JSON.parse(result.stdout);
  }
  assert.equal(documents.auto?.protocolVersion, "2026-07-28");
  assert.equal(documents.modern?.protocolVersion, "2026-07-28");
  assert.equal(documents.legacy?.protocolVersion, "2025-11-25");
  const modern = await expectedLists("modern");
  const legacy = await expectedLists("legacy");
  assert.deepEqual(documents.modern?.tools, modern.tools);
  assert.deepEqual(documents.modern?.prompts, modern.prompts);
  assert.deepEqual(documents.legacy?.tools, legacy.tools);
  assert.deepEqual(documents.legacy?.resourceTemplates, legacy.resourceTemplates);

  const human = await runCli(["inspect", served.url, "--era", "legacy"]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^cli-inventory 2\.5\.0 - protocol 2025-11-25 \(legacy era\)\n/);
  assert.match(human.stdout, /\nTools \(6\)\n/);
});

test("inspect the official v1 SDK server: falls back to initialize, lists everything, deletes its session", async () => {
  sdk.requests.length = 0;
  const result = await runCli(["inspect", sdk.url]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^sdk-v1-server 9\.9\.9 - protocol 2025-11-25 \(legacy era\)\n/);
  assert.match(
    result.stdout,
    /\n {2}multiply\n {4}Multiply two numbers\.\n {4}arguments:\n {6}x: number \(required\)\n {6}y: integer \(required\)\n/,
  );
  assert.match(result.stdout, /\n {2}docs:\/\/readme {2}\(readme, text\/plain\)\n/);
  assert.match(result.stdout, /\n {6}code \(required\)\n/);
  const [probe, init, initialized, ...rest] = sdk.requests;
  assert.deepEqual(probe, { http: "POST", rpc: "server/discover", session: undefined });
  assert.equal(init?.rpc, "initialize");
  const session = initialized?.session;
  assert.ok(session, "the session id from initialize is sent back");
  assert.equal(initialized?.rpc, "notifications/initialized");
  assert.deepEqual(
    rest.at(-1),
    { http: "DELETE", rpc: undefined, session },
    "the session is deleted at the end",
  );

  const json = await runCli(["inspect", sdk.url, "--json", "--era", "legacy"]);
  const document = JSON.parse(json.stdout) as {
    tools: { name: string }[];
    protocolVersion: string;
  };
  assert.deepEqual(
    document.tools.map((tool) => tool.name),
    ["multiply"],
  );
  assert.equal(document.protocolVersion, "2025-11-25");

  const forced = await runCli(["inspect", sdk.url, "--era", "modern"]);
  assert.equal(forced.code, 1);
  assert.match(forced.stderr, /does not speak 2026-07-28: .*400 Bad Request to server\/discover/);
  assert.match(forced.stderr, /Leave out --era modern/);
  assert.equal(forced.stdout, "");
});

test("inspect errors: exit 2 for usage, 1 for an unreachable or wrong URL, each saying what to do", async () => {
  const wrongPath = served.url.replace(/\/mcp$/, "/nothing-here");
  const closed = `http://127.0.0.1:${await closedPort()}/mcp`;
  const cases: [string[], number, RegExp][] = [
    [["inspect"], 2, /Which server\? fastmcp-ts inspect <file>\[:export\] \| <url>/],
    [["inspect", join(CLI_FIXTURES, "missing.ts")], 2, /No such file: .*missing\.ts/],
    [["inspect", inventory, "--era", "future"], 2, /--era must be one of auto, modern, legacy/],
    [["inspect", inventory, "--header", "X-Key: 1"], 2, /--header applies to a URL/],
    [["inspect", served.url, "--header", "no colon here"], 2, /--header takes "Name: value"/],
    [["inspect", served.url, "--timeout", "soon"], 2, /--timeout takes seconds/],
    [["inspect", served.url, "extra"], 2, /Unexpected arguments: extra/],
    [
      ["inspect", closed],
      1,
      /Could not reach http:\/\/127\.0\.0\.1:\d+\/mcp: ECONNREFUSED\. Is the server running/,
    ],
    [
      ["inspect", wrongPath],
      1,
      /answered 404 Not Found to initialize.*Is the URL the MCP endpoint\?/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdout, "", `${args.join(" ")} writes nothing to stdout`);
  }
  const help = await runCli(["inspect", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: fastmcp-ts inspect <file>\[:export\] \| <url>/);
  assert.match(help.stdout, /--era <era>/);
});
