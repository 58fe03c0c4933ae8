import { join } from "node:path";
import { CliError, EXIT } from "./errors.js";

/** How a client starts a server over stdio: what `install` writes. */
export interface StdioEntry {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** Where the user's files are, as the client sees them. */
export interface ClientPlace {
  readonly home: string;
  readonly platform: "darwin" | "linux";
  /** `$XDG_CONFIG_HOME`, which Electron apps (Claude Desktop, VS Code) follow on Linux. */
  readonly xdgConfigHome: string | undefined;
}

/** One MCP client: its user-level config file and the shape of an entry in it. */
export interface ClientFormat {
  readonly id: string;
  readonly title: string;
  /** The top-level object that maps server names to entries. */
  readonly key: "mcpServers" | "servers";
  path(place: ClientPlace): string;
  entry(server: StdioEntry): Record<string, unknown>;
  /** What the user does next for the client to see the entry. */
  readonly next: string;
}

/** `command`, `args` and (when there is any) `env`: the format most clients share, and mcp-json's. */
export function plainEntry(server: StdioEntry): Record<string, unknown> {
  const entry: Record<string, unknown> = { command: server.command, args: [...server.args] };
  if (Object.keys(server.env).length > 0) entry.env = { ...server.env };
  return entry;
}

/** Electron's appData folder: `~/Library/Application Support` or `$XDG_CONFIG_HOME` (`~/.config`). */
function appData(place: ClientPlace): string {
  if (place.platform === "darwin") return join(place.home, "Library", "Application Support");
  return place.xdgConfigHome || join(place.home, ".config");
}

export const CLIENTS: readonly ClientFormat[] = [
  {
    id: "claude-desktop",
    title: "Claude Desktop",
    key: "mcpServers",
    path: (place) => join(appData(place), "Claude", "claude_desktop_config.json"),
    entry: plainEntry,
    next: "Quit and reopen Claude Desktop to start it.",
  },
  {
    // User scope (`claude mcp add --scope user`): every project sees it.
    id: "claude-code",
    title: "Claude Code",
    key: "mcpServers",
    path: (place) => join(place.home, ".claude.json"),
    entry: (server) => ({ type: "stdio", ...plainEntry(server) }),
    next: "Start a new Claude Code session; claude mcp list shows it.",
  },
  {
    id: "cursor",
    title: "Cursor",
    key: "mcpServers",
    path: (place) => join(place.home, ".cursor", "mcp.json"),
    entry: plainEntry,
    next: "Cursor picks it up in its MCP settings (restart Cursor if it does not).",
  },
  {
    id: "vscode",
    title: "VS Code",
    key: "servers",
    path: (place) => join(appData(place), "Code", "User", "mcp.json"),
    entry: (server) => ({ type: "stdio", ...plainEntry(server) }),
    next: "VS Code lists it under MCP: List Servers; start it from there or from the chat's tools.",
  },
  {
    id: "windsurf",
    title: "Windsurf",
    key: "mcpServers",
    path: (place) => join(place.home, ".codeium", "windsurf", "mcp_config.json"),
    entry: plainEntry,
    next: "Refresh the MCP servers in Windsurf's Cascade panel (or restart Windsurf).",
  },
];

/** The client named on the command line, or a usage error that lists them. */
export function findClient(name: string): ClientFormat {
  const client = CLIENTS.find((candidate) => candidate.id === name);
  if (client !== undefined) return client;
  throw new CliError(
    `Unknown client "${name}". Clients: ${CLIENTS.map((c) => c.id).join(", ")}; or mcp-json to print an entry`,
    EXIT.usage,
  );
}

/**
 * Where the config files are on this machine. The home directory comes from
 * `HOME` and the platform may be overridden with `FASTMCP_PLATFORM`, so
 * tests (and a user preparing another machine's file) choose both.
 */
export function clientPlace(env: Readonly<Record<string, string | undefined>>): ClientPlace {
  const home = env.HOME;
  if (home === undefined || home === "")
    throw new CliError(
      "HOME is not set: the clients' config files live in the home directory",
      EXIT.failure,
    );
  const platform = env.FASTMCP_PLATFORM || process.platform;
  if (platform !== "darwin" && platform !== "linux")
    throw new CliError(
      `install writes the clients' files on macOS and Linux, not on ${platform}: run fastmcp-ts install mcp-json <file> and paste its entry into the client's config`,
      EXIT.failure,
    );
  return { home, platform, xdgConfigHome: env.XDG_CONFIG_HOME };
}
