import { type Command, portFlag, stringFlag } from "./command.js";
import { loadEnvFile } from "./env-file.js";
import { CliError, EXIT } from "./errors.js";

export const devCommand: Command = {
  name: "dev",
  summary: "serve a server file over HTTP, reloading it when it or what it imports changes",
  help: `Usage: fastmcp-ts dev <file>[:export] [options]

Serves the FastMCP server a file defines over Streamable HTTP, and loads it
again whenever the file, or one of your files it imports, changes (not
node_modules). Clients stay connected across a reload: sessions, streams and
the port live in this command, only the server's definition is reloaded, and
clients are told its tools, resources and prompts changed. A version that
fails to load is reported, and the previous one keeps serving.

Options:
  --host <host>       where to listen (default 127.0.0.1)
  --port <port>       the port (default 8000; 0 picks a free one)
  --path <path>       the MCP endpoint's path (default /mcp)
  --inspector         also start the official MCP Inspector on the server
                      (npx @modelcontextprotocol/inspector)
  --env-file <file>   load environment variables from a .env file first
  -h, --help          this text`,
  options: {
    host: { type: "string" },
    port: { type: "string", short: "p" },
    path: { type: "string" },
    inspector: { type: "boolean" },
    "env-file": { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  },
  async run(parsed, io) {
    const [spec, ...extra] = parsed.positionals;
    if (spec === undefined)
      throw new CliError("Which file? fastmcp-ts dev <file>[:export]", EXIT.usage);
    if (extra.length > 0)
      throw new CliError(`Unexpected arguments: ${extra.join(" ")}`, EXIT.usage);
    for (const file of (parsed.values["env-file"] as string[] | undefined) ?? [])
      loadEnvFile(file, io.cwd);
    const say = (line: string) => io.err(`fastmcp-ts dev: ${line}\n`);
    // Loaded only for dev: every other command starts without it (cold start).
    const [{ DevServer }, { inspectorHint, startInspector }] = await Promise.all([
      import("./dev-server.js"),
      import("./dev-inspector.js"),
    ]);
    const dev = await DevServer.start({
      spec,
      cwd: io.cwd,
      host: stringFlag(parsed, "host"),
      port: portFlag(parsed),
      path: stringFlag(parsed, "path"),
      say,
    });
    say(`Serving MCP over Streamable HTTP at ${dev.url} (server "${dev.name}")`);
    say(
      `watching ${dev.watched} file${dev.watched === 1 ? "" : "s"}: a change reloads the server, and connected clients stay connected`,
    );
    const inspector = parsed.values.inspector === true ? startInspector(dev.url, io) : undefined;
    if (inspector === undefined) say(`open the MCP Inspector on it: ${inspectorHint(dev.url)}`);
    await stopSignal();
    say("stopping");
    if (inspector !== undefined && inspector.exitCode === null) inspector.kill();
    await dev.close();
    return EXIT.ok;
  },
};

/** Resolves on the first SIGINT (Ctrl-C) or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
