/**
 * `fastmcp-ts call`: a tool of a file in-process and of a URL in both eras;
 * key=value coerced by the input schema, --json arguments, --output json,
 * tool errors, usage errors, and a bearer token for a protected server.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CLI_FIXTURES, runCli, startCliHttp } from "../helpers/cli.ts";
import { type SdkServer, serveSdkV1 } from "../helpers/sdk-v1-http.ts";

const inventory = join(CLI_FIXTURES, "inventory.ts");
const call = (...args: string[]) => runCli(["call", ...args]);

let served: Awaited<ReturnType<typeof startCliHttp>>;
let guarded: Awaited<ReturnType<typeof startCliHttp>>;
let sdk: SdkServer;
before(async () => {
  const http = ["--transport", "streamable-http", "--port", "0"];
  [served, guarded, sdk] = await Promise.all([
    startCliHttp(["run", inventory, ...http]),
    startCliHttp(["run", join(CLI_FIXTURES, "protected.ts"), ...http]),
    serveSdkV1(),
  ]);
});
after(async () => {
  await Promise.all([served?.stop(), guarded?.stop(), sdk?.stop()]);
});

test("call on a file: numbers, integers, booleans, null and arrays coerced by the schema; strings kept as typed", async () => {
  const scaled = await call(
    inventory,
    "scale",
    "values=[1, 2.5]",
    "factor=3",
    "round=true",
    "label=null",
  );
  assert.equal(scaled.code, 0, scaled.stderr);
  // The structured content once, as JSON: its text copy is not printed again.
  assert.deepEqual(JSON.parse(scaled.stdout), { values: [3, 8], label: null });
  assert.doesNotMatch(scaled.stdout, /printed while loading/);

  const added = await call(inventory, "add", "a=2", "b=-0.5");
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, "1.5\n");

  // "007" is a string parameter's value as typed, not the number 7.
  const greeted = await call(inventory, "greet", "name=007", "mood=grim");
  assert.equal(greeted.stdout, "Hm, 007\n");

  const picture = await call(inventory, "snapshot");
  assert.equal(picture.stdout, "here it is\n[image: image/png, 2.0 KB]\n");
});

test("call --json: structured arguments, key=value on top; --output json prints the whole result", async () => {
  const fromJson = await call(
    inventory,
    "scale",
    "--json",
    '{"values": [2], "factor": 2, "label": "x"}',
  );
  assert.equal(fromJson.code, 0, fromJson.stderr);
  assert.deepEqual(JSON.parse(fromJson.stdout), { values: [4], label: "x" });

  const merged = await call(
    inventory,
    "add",
    "--json",
    '{"a": 1, "b": 1}',
    "b=5",
    "--output",
    "json",
  );
  assert.equal(merged.code, 0, merged.stderr);
  const result = JSON.parse(merged.stdout) as Record<string, unknown>;
  assert.deepEqual(result.content, [{ type: "text", text: "6" }]);
  assert.equal(result.resultType, "complete", "the 2026-07-28 result, as the server sent it");
});

test("a tool error prints its text and exits 1; --output json still prints the result", async () => {
  const failed = await call(inventory, "divide", "a=1", "b=0");
  assert.equal(failed.code, 1);
  assert.equal(failed.stdout, "");
  assert.match(failed.stderr, /Tool "divide" failed: Cannot divide by zero\n/);

  const raw = await call(inventory, "divide", "a=1", "b=0", "--output", "json");
  assert.equal(raw.code, 1);
  const result = JSON.parse(raw.stdout) as { isError: boolean; content: { text: string }[] };
  assert.equal(result.isError, true);
  assert.equal(result.content[0]?.text, "Cannot divide by zero");
});

test("call errors: unknown tool, unknown parameter, a value of the wrong type, bad --json: exit 2 naming what is wrong", async () => {
  const tools = "add, scale, divide, greet, deploy, snapshot";
  const params = "Its parameters: a \\(number, required\\), b \\(number, required\\)\\.";
  const cases: [string[], number, RegExp][] = [
    [
      [inventory, "nope"],
      2,
      new RegExp(`No tool "nope" on .*inventory\\.ts\\. Its tools: ${tools}`),
    ],
    [[inventory], 2, new RegExp(`Which tool\\? The server's tools: ${tools}`)],
    [
      [inventory, "add", "a=1", "c=2"],
      2,
      new RegExp(`Tool "add" has no parameter "c"\\. ${params}`),
    ],
    [[inventory, "add", "a=two", "b=1"], 2, /Argument "a" must be a number, not "two"/],
    [
      [inventory, "scale", "values=[1]", "factor=1.5"],
      2,
      /Argument "factor" must be an integer, not "1\.5"/,
    ],
    [
      [inventory, "scale", "values=1", "factor=1"],
      2,
      /Argument "values" must be an array \(as JSON: \[1, 2\]\), not "1"/,
    ],
    [[inventory, "scale", "values=[1", "factor=1"], 2, /Argument "values" is not valid JSON/],
    [
      [inventory, "scale", "values=[1]", "factor=1", "round=yes"],
      2,
      /Argument "round" must be a boolean, not "yes"/,
    ],
    [
      [inventory, "greet", "name=a", "mood=sad"],
      2,
      /Argument "mood" must be one of "glad", "grim", not "sad"/,
    ],
    [[inventory, "add", "a=1"], 2, new RegExp(`Tool "add" needs b \\(number\\)\\. ${params}`)],
    [[inventory, "add", "a"], 2, /Arguments are key=value; "a" is not/],
    [[inventory, "add", "--json", "[1]"], 2, /--json takes a JSON object of arguments/],
    [[inventory, "add", "--json", "{a: 1}"], 2, /--json is not valid JSON/],
    [[inventory, "add", "--output", "yaml"], 2, /--output must be text or json/],
    [[], 2, /Which server\?/],
  ];
  for (const [args, code, message] of cases) {
    const result = await call(...args);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdout, "", `${args.join(" ")} writes nothing to stdout`);
  }
  // The server's own validation still answers what the schema check here lets through.
  const invalid = await call(inventory, "add", "--json", '{"a": "x", "b": 1}');
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /\ba\b/);
});

test("call on a URL in both eras, with the 2026-07-28 routing header a tool asks for", async () => {
  for (const era of ["modern", "legacy"]) {
    const added = await call(served.url, "add", "a=2", "b=3", "--era", era);
    assert.equal(added.code, 0, `${era}: ${added.stderr}`);
    assert.equal(added.stdout, "5\n");
    const scaled = await call(served.url, "scale", "values=[1]", "factor=2", "--era", era);
    assert.deepEqual(JSON.parse(scaled.stdout), { values: [2], label: null });
    // deploy's region is x-mcp-header: over 2026-07-28 HTTP the server refuses a call without Mcp-Param-Region.
    const deployed = await call(served.url, "deploy", "region=eu west ü", "--era", era);
    assert.equal(deployed.code, 0, `${era}: ${deployed.stderr}`);
    assert.equal(deployed.stdout, "deploying to eu west ü\n");
    const failed = await call(served.url, "divide", "a=1", "b=0", "--era", era);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Cannot divide by zero/);
  }
  const sdkCall = await call(sdk.url, "multiply", "x=2.5", "y=4");
  assert.equal(sdkCall.code, 0, sdkCall.stderr);
  assert.equal(sdkCall.stdout, "10\n");
});

test("a protected server: 401 without a token says so with the challenge; --header with the token works in both eras", async () => {
  const refused = await call(guarded.url, "whoami");
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, "");
  assert.match(refused.stderr, /requires authorization \(401 Unauthorized\)/);
  assert.match(
    refused.stderr,
    /WWW-Authenticate: Bearer scope="tools", resource_metadata="http:\/\/127\.0\.0\.1\/\.well-known\/oauth-protected-resource\/mcp"/,
  );
  assert.match(refused.stderr, /pass it: --header "Authorization: Bearer <token>"/);

  const wrong = await call(guarded.url, "whoami", "--header", "Authorization: Bearer not-it");
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /refused the token \(401 Unauthorized\).*error="invalid_token"/);
  assert.doesNotMatch(wrong.stderr, /not-it/, "the token is never repeated");

  for (const era of ["modern", "legacy"]) {
    const allowed = await call(
      guarded.url,
      "whoami",
      "-H",
      "authorization: Bearer dev-token",
      "--era",
      era,
    );
    assert.equal(allowed.code, 0, `${era}: ${allowed.stderr}`);
    assert.equal(allowed.stdout, "you are dev\n");
  }
  const listed = await runCli([
    "inspect",
    guarded.url,
    "--header",
    "Authorization: Bearer dev-token",
  ]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /\n {2}whoami\n {4}Who the token says you are\.\n/);
});
