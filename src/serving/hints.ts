import { relative } from "node:path";

/**
 * What to tell a person who started a server by hand: a stdio server waiting
 * for a client looks dead, and an HTTP URL is no use without a client.
 */

const INSPECTOR = "npx @modelcontextprotocol/inspector";

/** How this process was started, as a command a client can run again (`npx tsx server.ts`). */
export function restartCommand(): string {
  const script = process.argv[1];
  if (script === undefined) return "node <your server file>";
  const path = relative(process.cwd(), script) || script;
  const shown = /\s/.test(path) ? JSON.stringify(path) : path;
  return /\.[cm]?tsx?$/.test(path) ? `npx tsx ${shown}` : `node ${shown}`;
}

/** Said on stderr when stdin is a terminal: nothing will arrive until a client is attached. */
export function stdioHint(owner: string): string {
  return (
    `${owner} serves MCP on stdio: it waits for an MCP client to write to its stdin, ` +
    `so typing here does nothing useful. Give clients the command instead, or try it with the MCP Inspector: ` +
    `${INSPECTOR} ${restartCommand()}`
  );
}

/** Said once an HTTP server listens. */
export function httpHint(url: string): string {
  return `Connect an MCP client to ${url}, or try it: ${INSPECTOR} --cli ${url} --transport http --method tools/list`;
}
