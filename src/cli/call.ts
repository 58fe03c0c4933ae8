import { isRecord } from "../protocol/meta.js";
import type { CallToolResult, ToolDefinition } from "../protocol/types.js";
import { jsonArguments, splitPairs, toolArguments } from "./call-args.js";
import { errorText, formatResult } from "./call-output.js";
import { type Command, stringFlag } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { openTarget, TARGET_HELP, TARGET_OPTIONS } from "./target.js";
import { RpcError } from "./wire.js";

const OUTPUTS = ["text", "json"] as const;

export const callCommand: Command = {
  name: "call",
  summary: "call one tool of a server file or URL and print its result",
  help: `Usage: fastmcp-ts call <file>[:export] | <url> <tool> [key=value ...] [options]

Calls one tool and prints its result: text as it is, structured content as
JSON, images and audio summarized. Each key=value is converted by the tool's
input schema: a=2 is the number 2 when a is a number and the string "2" when
it is a string; booleans are true/false, null is null, arrays and objects
are JSON (tags='["x","y"]'). A file is loaded and called in-process; a URL
is called over Streamable HTTP, in either protocol era.

Options:
  --json <object>     arguments as one JSON object ('{"a": 1, "b": [2]}');
                      key=value arguments are applied on top
  --output <format>   text (default) or json: the whole CallToolResult as JSON
${TARGET_HELP}

Exit codes: 0 the tool succeeded; 1 the tool returned an error (isError) or
the call failed; 2 unknown tool, unknown parameter, a value of the wrong type.`,
  options: {
    ...TARGET_OPTIONS,
    json: { type: "string" },
    output: { type: "string", short: "o" },
  },
  async run(parsed, io) {
    const [spec, toolName, ...words] = parsed.positionals;
    if (spec === undefined)
      throw new CliError(
        "Which server? fastmcp-ts call <file>[:export] | <url> <tool> [key=value ...]",
        EXIT.usage,
      );
    // Every argument is checked before the server loads or is reached.
    const output = stringFlag(parsed, "output") ?? "text";
    if (!(OUTPUTS as readonly string[]).includes(output))
      throw new CliError(`--output must be text or json, not "${output}"`, EXIT.usage);
    const pairs = splitPairs(words);
    const fromJson = jsonArguments(stringFlag(parsed, "json"));

    const target = await openTarget(spec, parsed, io.cwd, "call");
    let result: CallToolResult;
    try {
      const tools = (await target.session.listAll("tools/list", "tools")).filter(isTool);
      const tool = tools.find((candidate) => candidate.name === toolName);
      if (tool === undefined) {
        const names = tools.map((t) => t.name).join(", ") || "none";
        throw new CliError(
          toolName === undefined
            ? `Which tool? The server's tools: ${names}`
            : `No tool "${toolName}" on ${spec}. Its tools: ${names}`,
          EXIT.usage,
        );
      }
      const args = toolArguments(tool.name, tool.inputSchema, pairs, fromJson);
      result = await target.session.callTool(tool, args);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      throw new CliError(
        `The server answered with an error: ${error.message} (${error.code})`,
        EXIT.failure,
      );
    } finally {
      await target.close();
    }

    if (output === "json") {
      io.out(`${JSON.stringify(result, null, 2)}\n`);
      return result.isError === true ? EXIT.failure : EXIT.ok;
    }
    if (result.isError === true)
      throw new CliError(`Tool "${toolName}" failed: ${errorText(result)}`, EXIT.failure);
    io.out(formatResult(result));
    return EXIT.ok;
  },
};

function isTool(value: unknown): value is ToolDefinition {
  return isRecord(value) && typeof value.name === "string";
}
