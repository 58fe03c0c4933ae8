/**
 * The conformance server: fastmcp-ts's twin of the official conformance
 * suite's reference "everything server", built only from the public API.
 * `npm run conformance` starts it and runs the official suites against it
 * (see docs/conformance.md).
 *
 * Serves Streamable HTTP on 127.0.0.1 at /mcp, port from $PORT (default 3000);
 * `--stdio` serves stdio instead. Both protocol eras answer on the one URL,
 * from one set of registrations: the reference server keeps a second,
 * hand-written code path for 2026-07-28, where fastmcp-ts needs none.
 *
 * It has the tasks extension's fixtures too (`greet`, `slow_compute`,
 * `failing_job`, `protocol_error_job`, `confirm_delete`, `multi_input`,
 * `test_tool_with_task`). What the reference server has and this one leaves
 * out: its 2026-07-28-only resource `test://stateless-static-text`, which no
 * check reads.
 */
import { z } from "zod";
import {
  Audio,
  ClientCapabilityError,
  FastMCP,
  Image,
  type InputRequest,
  inputRequired,
  McpError,
  ToolError,
} from "../src/index.ts";

/** 1x1 PNG and a tiny WAV, the reference server's fixtures. */
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const mcp = new FastMCP("mcp-conformance-test-server", {
  version: "1.0.0",
  // The reference server's caching hints (2026-07-28 `caching` scenario).
  cache: { ttlMs: 300_000, scope: "public" },
});

// ---- Content tools ----------------------------------------------------------

mcp.tool("test_simple_text", { description: "Tests simple text content response" }, () => {
  return "This is a simple text response for testing.";
});

mcp.tool("test_image_content", { description: "Tests image content response" }, () => {
  return new Image({ data: PNG, mimeType: "image/png" });
});

mcp.tool("test_audio_content", { description: "Tests audio content response" }, () => {
  return new Audio({ data: WAV, mimeType: "audio/wav" });
});

mcp.tool(
  "test_embedded_resource",
  { description: "Tests embedded resource content response" },
  () => ({
    type: "resource" as const,
    resource: {
      uri: "test://embedded-resource",
      mimeType: "text/plain",
      text: "This is an embedded resource content.",
    },
  }),
);

mcp.tool(
  "test_multiple_content_types",
  { description: "Tests response with multiple content types (text, image, resource)" },
  () => [
    { type: "text" as const, text: "Multiple content types test:" },
    new Image({ data: PNG, mimeType: "image/png" }),
    {
      type: "resource" as const,
      resource: {
        uri: "test://mixed-content-resource",
        mimeType: "application/json",
        text: JSON.stringify({ test: "data", value: 123 }),
      },
    },
  ],
);

mcp.tool(
  "test_tool_with_logging",
  { description: "Tests tool that emits log messages during execution" },
  async (_args, ctx) => {
    await ctx.info("Tool execution started");
    await sleep(50);
    await ctx.info("Tool processing data");
    await sleep(50);
    await ctx.info("Tool execution completed");
    return "Tool with logging executed successfully";
  },
);

mcp.tool(
  "test_tool_with_progress",
  { description: "Tests tool that reports progress notifications" },
  async (_args, ctx) => {
    for (const step of [0, 50, 100]) {
      if (step > 0) await sleep(50);
      await ctx.reportProgress(step, 100, `Completed step ${step} of 100`);
    }
    return "Progress reported: 0, 50 and 100 of 100";
  },
);

mcp.tool("test_error_handling", { description: "Tests error response handling" }, () => {
  throw new ToolError("This tool intentionally returns an error for testing");
});

/** SEP-1699: ends the request's SSE stream mid-call; the client resumes it with Last-Event-ID. */
mcp.tool(
  "test_reconnection",
  {
    description:
      "Tests SSE stream disconnection and client reconnection (SEP-1699): closes the stream, then answers on the resumed one",
  },
  async (_args, ctx) => {
    await ctx.closeSSEStream();
    await sleep(100);
    return "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.";
  },
);

/** SEP-1613 / SEP-2106: a plain JSON Schema that tools/list must show verbatim. */
mcp.tool(
  "json_schema_2020_12_tool",
  {
    description: "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
    input: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: {
        address: {
          $anchor: "addressDef",
          type: "object",
          properties: { street: { type: "string" }, city: { type: "string" } },
        },
      },
      properties: {
        name: { type: "string" },
        address: { $ref: "#/$defs/address" },
        contactMethod: { type: "string", enum: ["phone", "email"] },
        phone: { type: "string" },
        email: { type: "string" },
      },
      allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
      if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
      // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, not a promise
      then: { required: ["phone"] },
      else: { required: ["email"] },
      additionalProperties: false,
    },
  },
  (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
);

/** SEP-2243: an argument mirrored into the `Mcp-Param-Region` header over 2026-07-28 HTTP. */
mcp.tool(
  "test_header_param",
  {
    description:
      "Echoes an argument that 2026-07-28 clients also send as the Mcp-Param-Region header",
    input: {
      type: "object",
      properties: { region: { type: "string", "x-mcp-header": "Region" } },
      required: ["region"],
    },
  },
  (args) => `Region: ${String((args as { region?: unknown }).region)}`,
);

// ---- Asking the client: sampling and elicitation ------------------------------
// Legacy clients get server-to-client requests on the call's own SSE stream;
// 2026-07-28 clients get `input_required` results. Same handlers for both.

mcp.tool(
  "test_sampling",
  {
    description: "Tests server-initiated sampling (LLM completion request)",
    input: { prompt: z.string().describe("The prompt to send to the LLM") },
  },
  async ({ prompt }, ctx) => {
    const answer = await ctx.sample(prompt, { maxTokens: 100 });
    return `LLM response: ${answer.text}`;
  },
);

/** The suite's client answers with these two fields. */
const UserInformation = {
  username: z.string().describe("User's name"),
  email: z.string().describe("User's email address"),
};

mcp.tool(
  "test_elicitation",
  {
    description: "Tests server-initiated elicitation (user input request)",
    input: { message: z.string().describe("The message to show the user") },
  },
  async ({ message }, ctx) => {
    const answer = await ctx.elicit(message, UserInformation);
    return `User response: action=${answer.action}, content=${JSON.stringify("content" in answer ? answer.content : {})}`;
  },
);

/** SEP-1034: a default for every primitive field type. */
const DefaultsForm = {
  type: "object",
  properties: {
    name: { type: "string", description: "User name", default: "John Doe" },
    age: { type: "integer", description: "User age", default: 30 },
    score: { type: "number", description: "User score", default: 95.5 },
    status: {
      type: "string",
      description: "User status",
      enum: ["active", "inactive", "pending"],
      default: "active",
    },
    verified: { type: "boolean", description: "Verification status", default: true },
  },
} as const;

mcp.tool(
  "test_elicitation_sep1034_defaults",
  { description: "Tests elicitation with default values per SEP-1034" },
  async (_args, ctx) => {
    const answer = await ctx.elicit("Please review and update the form fields", DefaultsForm);
    return elicitationSummary(answer);
  },
);

/** SEP-1330: the five enum forms, from plain JSON Schema, sent as written. */
const EnumsForm = {
  type: "object",
  properties: {
    untitledSingle: {
      type: "string",
      description: "Choose an option",
      enum: ["option1", "option2", "option3"],
    },
    titledSingle: {
      type: "string",
      description: "Choose a titled option",
      oneOf: [
        { const: "value1", title: "First Option" },
        { const: "value2", title: "Second Option" },
        { const: "value3", title: "Third Option" },
      ],
    },
    legacyEnum: {
      type: "string",
      description: "Choose a legacy option",
      enum: ["opt1", "opt2", "opt3"],
      enumNames: ["Option One", "Option Two", "Option Three"],
    },
    untitledMulti: {
      type: "array",
      description: "Choose multiple options",
      minItems: 1,
      maxItems: 3,
      items: { type: "string", enum: ["option1", "option2", "option3"] },
    },
    titledMulti: {
      type: "array",
      description: "Choose multiple titled options",
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: "value1", title: "First Choice" },
          { const: "value2", title: "Second Choice" },
          { const: "value3", title: "Third Choice" },
        ],
      },
    },
  },
  required: [],
} as const;

mcp.tool(
  "test_elicitation_sep1330_enums",
  { description: "Tests elicitation with enum schema improvements per SEP-1330" },
  async (_args, ctx) => {
    const answer = await ctx.elicit("Please select options from the enum fields", EnumsForm);
    return elicitationSummary(answer);
  },
);

function elicitationSummary(answer: { action: string; content?: unknown }): string {
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

/** SEP-2575: without the client's `sampling` capability this fails with -32021 (HTTP 400). */
mcp.tool(
  "test_missing_capability",
  { description: "Test tool requiring sampling" },
  async (_args, ctx) => {
    const answer = await ctx.sample("Reply with one word.", { maxTokens: 10 });
    return `Success: ${answer.text}`;
  },
);

// ---- 2026-07-28 multi round-trip requests (SEP-2322) ----------------------------

const NAME_QUESTION: InputRequest = {
  method: "elicitation/create",
  params: {
    mode: "form",
    message: "What is your name?",
    requestedSchema: {
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
    },
  },
};

/**
 * The suite answers this one under the key `user_name`, with or without a
 * `requestState`, so it uses the explicit form, which names its own keys and
 * reads `ctx.inputResponses` as sent.
 */
mcp.tool(
  "test_input_required_result_elicitation",
  { description: "MRTR: returns InputRequiredResult with elicitation request" },
  (_args, ctx) => {
    const answer = ctx.inputResponses?.user_name;
    if (isAcceptedWith(answer, "name")) return `Hello, ${answer.content.name}!`;
    // No answer, a malformed one, or another key: ask (again).
    return inputRequired({ inputRequests: { user_name: NAME_QUESTION } });
  },
);

function isAcceptedWith<K extends string>(
  answer: unknown,
  field: K,
): answer is { action: "accept"; content: Record<K, string> } {
  if (typeof answer !== "object" || answer === null) return false;
  const { action, content } = answer as { action?: unknown; content?: unknown };
  return (
    action === "accept" &&
    typeof content === "object" &&
    content !== null &&
    typeof (content as Record<string, unknown>)[field] === "string"
  );
}

// The rest use ctx.elicit / ctx.sample / ctx.listRoots, which also work for legacy clients.

mcp.tool(
  "test_input_required_result_sampling",
  { description: "MRTR: returns InputRequiredResult with sampling request" },
  async (_args, ctx) => {
    const answer = await ctx.sample("What is the capital of France?", { maxTokens: 100 });
    return `Sampling result: ${answer.text}`;
  },
);

mcp.tool(
  "test_input_required_result_list_roots",
  { description: "MRTR: returns InputRequiredResult with roots/list request" },
  async (_args, ctx) => {
    const roots = await ctx.listRoots();
    return `Found ${roots.length} root(s)`;
  },
);

mcp.tool(
  "test_input_required_result_request_state",
  { description: "MRTR: returns InputRequiredResult with requestState" },
  async (_args, ctx) => {
    const answer = await ctx.elicit("Please confirm", { ok: z.boolean() });
    return answer.action === "accept" && answer.content.ok
      ? "state-ok: requestState validated"
      : `Not confirmed (${answer.action})`;
  },
);

mcp.tool(
  "test_input_required_result_multiple_inputs",
  { description: "MRTR: returns InputRequiredResult with multiple input requests" },
  async (_args, ctx) => {
    // Started together, so all three go to the client in one round.
    const [name, greeting, roots] = await Promise.all([
      ctx.elicit("What is your name?", { name: z.string() }),
      ctx.sample("Generate a greeting", { maxTokens: 50 }),
      ctx.listRoots(),
    ]);
    const who = name.action === "accept" ? name.content.name : "(declined)";
    return `Name: ${who}; Greeting: ${greeting.text}; Roots: ${roots.length}`;
  },
);

mcp.tool(
  "test_input_required_result_multi_round",
  { description: "MRTR: multi-round InputRequiredResult workflow" },
  async (_args, ctx) => {
    // Each ask is its own round: the second is asked once the first is answered.
    const name = await ctx.elicit("Step 1: What is your name?", { name: z.string() });
    if (name.action !== "accept") return "Multi-round stopped at step 1";
    const color = await ctx.elicit("Step 2: What is your favorite color?", { color: z.string() });
    if (color.action !== "accept") return "Multi-round stopped at step 2";
    return `Multi-round complete for ${name.content.name} who likes ${color.content.color}`;
  },
);

mcp.tool(
  "test_input_required_result_tampered_state",
  { description: "MRTR: requestState integrity test (the server refuses a changed state)" },
  async (_args, ctx) => {
    const answer = await ctx.elicit("Please confirm", { ok: z.boolean() });
    return `integrity-ok: state verified (${answer.action})`;
  },
);

/** Asks only what the client declared it can answer. */
mcp.tool(
  "test_input_required_result_capabilities",
  { description: "MRTR: respects client capabilities in inputRequests" },
  async (_args, ctx) => {
    const ifSupported = <T>(ask: Promise<T>) =>
      ask.catch((error: unknown) => {
        if (error instanceof ClientCapabilityError) return undefined;
        throw error;
      });
    const [elicited, sampled] = await Promise.all([
      ifSupported(ctx.elicit("Elicitation input", { value: z.string() })),
      ifSupported(ctx.sample("Sample request", { maxTokens: 50 })),
    ]);
    const received = [elicited && "elicitation", sampled && "sampling"].filter(Boolean);
    return received.length === 0
      ? "No supported capabilities declared"
      : `capabilities-ok: received ${received.join(",")}`;
  },
);

// ---- 2026-07-28 diagnostics ------------------------------------------------------

mcp.tool(
  "test_streaming_elicitation",
  { description: "Diagnostic tool validating response progress streams" },
  async (_args, ctx) => {
    await ctx.reportProgress(50, 100);
    return "Streaming complete";
  },
);

mcp.tool(
  "test_logging_tool",
  { description: "Diagnostic logging validator tool" },
  async (_args, ctx) => {
    // Sent only when the request asked for logs (2026-07-28 `_meta` logLevel, or logging/setLevel).
    await ctx.info("Diagnostic trace logging activated");
    return "Logging evaluated";
  },
);

/** Adds or removes a tool, so the server announces `notifications/tools/list_changed`. */
mcp.tool(
  "test_trigger_tool_change",
  { description: "Adds or removes the tool test_dynamic_tool, changing the tool list" },
  () => {
    const existing = mcp.getTool("test_dynamic_tool");
    if (existing) {
      existing.remove();
      return "Removed test_dynamic_tool";
    }
    mcp.tool(
      "test_dynamic_tool",
      { description: "A tool added at run time by test_trigger_tool_change" },
      () => "Dynamic tool called",
    );
    return "Added test_dynamic_tool";
  },
);

/** Adds or removes a prompt, so the server announces `notifications/prompts/list_changed`. */
mcp.tool(
  "test_trigger_prompt_change",
  { description: "Adds or removes the prompt test_dynamic_prompt, changing the prompt list" },
  () => {
    const existing = mcp.getPrompt("test_dynamic_prompt");
    if (existing) {
      existing.remove();
      return "Removed test_dynamic_prompt";
    }
    mcp.prompt(
      "test_dynamic_prompt",
      { description: "A prompt added at run time by test_trigger_prompt_change" },
      () => "This prompt was added at run time.",
    );
    return "Added test_dynamic_prompt";
  },
);

// ---- Resources --------------------------------------------------------------------

mcp.resource(
  "test://static-text",
  {
    name: "static-text",
    title: "Static Text Resource",
    description: "A static text resource for testing",
    mimeType: "text/plain",
  },
  () => "This is the content of the static text resource.",
);

mcp.resource(
  "test://static-binary",
  {
    name: "static-binary",
    title: "Static Binary Resource",
    description: "A static binary resource (image) for testing",
    mimeType: "image/png",
  },
  () => Buffer.from(PNG, "base64"),
);

mcp.resource(
  "test://template/{id}/data",
  {
    name: "template",
    title: "Resource Template",
    description: "A resource template with parameter substitution",
    mimeType: "application/json",
  },
  ({ id }) => JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
);

/** Subscriptions are the framework's: `resources/subscribe` (legacy) or `subscriptions/listen`. */
mcp.resource(
  "test://watched-resource",
  {
    name: "watched-resource",
    title: "Watched Resource",
    description: "A resource that can be subscribed to",
    mimeType: "text/plain",
  },
  () => "Watched resource content",
);

// ---- Prompts and completions --------------------------------------------------------

mcp.prompt(
  "test_simple_prompt",
  { title: "Simple Test Prompt", description: "A simple prompt without arguments" },
  () => "This is a simple prompt for testing.",
);

const ARGUMENT_SUGGESTIONS = ["testValue1", "testValue2", "test-default", "example"];

mcp.prompt(
  "test_prompt_with_arguments",
  {
    title: "Prompt With Arguments",
    description: "A prompt with required arguments",
    args: {
      arg1: z.string().describe("First test argument"),
      arg2: z.string().describe("Second test argument"),
    },
    complete: {
      arg1: (value) => ARGUMENT_SUGGESTIONS.filter((option) => option.startsWith(value)),
      arg2: (value) => ARGUMENT_SUGGESTIONS.filter((option) => option.startsWith(value)),
    },
  },
  ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
);

mcp.prompt(
  "test_prompt_with_embedded_resource",
  {
    title: "Prompt With Embedded Resource",
    description: "A prompt that includes an embedded resource",
    args: { resourceUri: z.string().describe("URI of the resource to embed") },
  },
  ({ resourceUri }) => [
    {
      type: "resource",
      resource: {
        uri: resourceUri,
        mimeType: "text/plain",
        text: "Embedded resource content for testing.",
      },
    },
    "Please process the embedded resource above.",
  ],
);

mcp.prompt(
  "test_prompt_with_image",
  { title: "Prompt With Image", description: "A prompt that includes image content" },
  () => [new Image({ data: PNG, mimeType: "image/png" }), "Please analyze the image above."],
);

/** SEP-2322 on a request that is not a tool call: prompts/get asks the user first. */
mcp.prompt(
  "test_input_required_result_prompt",
  { description: "MRTR: prompt that requires elicitation input" },
  async (_args, ctx) => {
    const answer = await ctx.elicit("What context should the prompt use?", {
      context: z.string(),
    });
    const context = answer.action === "accept" ? answer.content.context : "(none given)";
    return `Prompt with context: ${context}`;
  },
);

// ---- Tasks extension (io.modelcontextprotocol/tasks) fixtures -----------------

/** Sleeps, but gives up when the task is cancelled (ctx.signal). */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

mcp.tool(
  "greet",
  { description: "Sync-only greeting", input: { name: z.string() } },
  ({ name }) => {
    return `Hello, ${name}!`;
  },
);

mcp.tool(
  "slow_compute",
  {
    description: "Sleeps `seconds` then answers; runs as a task for clients that take tasks",
    task: "optional",
    input: { seconds: z.number(), label: z.string().optional() },
  },
  async ({ seconds, label }, ctx) => {
    await sleepUnlessAborted(seconds * 1000, ctx.signal);
    return `Computed ${label ?? "result"} after ${seconds}s`;
  },
);

mcp.tool(
  "failing_job",
  { description: "Always fails with a tool error after a moment", task: "required" },
  async (_args, ctx) => {
    await sleepUnlessAborted(300, ctx.signal);
    throw new ToolError("failing_job failed, as it always does");
  },
);

mcp.tool(
  "protocol_error_job",
  { description: "Fails with a protocol (JSON-RPC) error", task: "optional" },
  async () => {
    throw new McpError(-32603, "protocol_error_job: internal failure");
  },
);

mcp.tool(
  "confirm_delete",
  {
    description: "Asks for confirmation, then deletes (pretends to)",
    task: "optional",
    input: { filename: z.string() },
  },
  async ({ filename }, ctx) => {
    const answer = await ctx.elicit(`Delete ${filename}?`, { confirm: z.boolean() });
    return answer.action === "accept" && answer.content.confirm
      ? `Deleted ${filename}`
      : `Kept ${filename}`;
  },
);

mcp.tool(
  "multi_input",
  { description: "Asks two questions at once", task: "optional" },
  async (_args, ctx) => {
    const schema = { name: z.string().optional(), confirm: z.boolean().optional() };
    const [first, second] = await Promise.all([
      ctx.elicit("First input", schema),
      ctx.elicit("Second input", schema),
    ]);
    return `Got ${first.action} and ${second.action}`;
  },
);

mcp.tool(
  "test_tool_with_task",
  {
    description: "Asks the user's name, then runs as a task",
    // The ask is a plain input round of the tools/call; ctx.runAsTask() makes the rest a task.
    task: { mode: "required", inputFirst: true },
  },
  async (_args, ctx) => {
    const answer = await ctx.elicit("What is your name?", { name: z.string() });
    await ctx.runAsTask();
    return `Hello, ${answer.action === "accept" ? answer.content.name : "stranger"}!`;
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--stdio")) {
    await mcp.run();
  } else {
    const port = Number(process.env.PORT ?? 3000);
    await mcp.run({
      transport: "streamable-http",
      host: "127.0.0.1",
      port,
      path: "/mcp",
      onListening: ({ url }) => console.log(`conformance server listening on ${url}`),
    });
  }
}
