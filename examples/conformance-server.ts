/**
 * The conformance server: fastmcp-ts's twin of the official conformance
 * suite's reference "everything server", built only from the public API.
 * `npm run conformance` starts it and runs the official suites against it
 * (see docs/conformance.md).
 *
 * Serves Streamable HTTP on 127.0.0.1 at /mcp, port from $PORT (default 3000);
 * `--stdio` serves stdio instead. Both protocol eras answer on the one URL.
 *
 * Not registered here, because fastmcp-ts does not offer them yet (each one's
 * scenarios are listed, with this reason, in conformance/expected-failures-*.yml):
 * - resources: test://static-text, test://static-binary, the template
 *   test://template/{id}/data, test://watched-resource (+ subscribe/unsubscribe)
 * - prompts: test_simple_prompt, test_prompt_with_arguments,
 *   test_prompt_with_embedded_resource, test_prompt_with_image,
 *   test_input_required_result_prompt; the tool test_trigger_prompt_change
 * - completions: completion/complete
 * - sampling and elicitation: test_sampling, test_elicitation,
 *   test_elicitation_sep1034_defaults, test_elicitation_sep1330_enums,
 *   test_missing_capability (a tool that needs sampling, for -32021)
 * - multi-round-trip results: test_input_required_result_{elicitation,
 *   sampling,list_roots,request_state,multiple_inputs,multi_round,
 *   tampered_state,capabilities}
 * - closing a request's SSE stream mid-call (SEP-1699 polling): test_reconnection
 *   is registered, but its stream is not closed early
 */
import { Audio, FastMCP, Image, ToolError } from "../src/index.ts";

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

mcp.tool(
  "test_reconnection",
  {
    description:
      "Tests SSE stream disconnection and client reconnection (SEP-1699). fastmcp-ts does not close the stream mid-call yet, so the result arrives on the original stream.",
  },
  async () => {
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

// ---- 2026-07-28 diagnostics (the reference lists these for modern clients only) ----

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
