import type { Command } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { formatInventory, type Inventory } from "./inspect-format.js";
import type { McpSession } from "./session.js";
import { openTarget, TARGET_HELP, TARGET_OPTIONS } from "./target.js";
import { RpcError } from "./wire.js";

export const inspectCommand: Command = {
  name: "inspect",
  summary: "list a server's tools, resources, templates and prompts with their schemas",
  help: `Usage: fastmcp-ts inspect <file>[:export] | <url> [options]

Shows what a server offers, as clients see it: its tools (arguments with
types and required marks, output schema, annotations), resources, resource
templates and prompts. A file is loaded and asked in-process; a URL is asked
over Streamable HTTP, in 2026-07-28 if the server speaks it, else through
the legacy initialize handshake.

Options:
  --json              one JSON document: { serverInfo, protocolVersion, tools,
                      resources, resourceTemplates, prompts }, each list as the
                      server sent it (every page)
${TARGET_HELP}`,
  options: { ...TARGET_OPTIONS, json: { type: "boolean" } },
  async run(parsed, io) {
    const [spec, ...extra] = parsed.positionals;
    if (spec === undefined)
      throw new CliError("Which server? fastmcp-ts inspect <file>[:export] | <url>", EXIT.usage);
    if (extra.length > 0)
      throw new CliError(`Unexpected arguments: ${extra.join(" ")}`, EXIT.usage);
    const target = await openTarget(spec, parsed, io.cwd, "inspect");
    let inventory: Inventory;
    try {
      inventory = await gather(target.session);
    } finally {
      await target.close();
    }
    io.out(
      parsed.values.json === true
        ? `${JSON.stringify(inventory, null, 2)}\n`
        : formatInventory(inventory, target.session.era),
    );
    return EXIT.ok;
  },
};

/** Every list the server's capabilities announce; a list it does not announce is empty. */
async function gather(session: McpSession): Promise<Inventory> {
  const has = (capability: string) => Object.hasOwn(session.capabilities, capability);
  const list = async (capability: string, method: string, key: string) => {
    if (!has(capability)) return [];
    try {
      return await session.listAll(method, key);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      // Announced but not served (-32601): as good as empty.
      if (error.code === -32601) return [];
      throw new CliError(`${method} failed: ${error.message} (${error.code})`, EXIT.failure);
    }
  };
  return {
    serverInfo: session.serverInfo,
    protocolVersion: session.protocolVersion,
    tools: await list("tools", "tools/list", "tools"),
    resources: await list("resources", "resources/list", "resources"),
    resourceTemplates: await list("resources", "resources/templates/list", "resourceTemplates"),
    prompts: await list("prompts", "prompts/list", "prompts"),
  };
}
