/**
 * What to tell a person who started a server by hand: a stdio server waiting
 * for a client looks dead, and an HTTP URL is no use without a client.
 */

const INSPECTOR = "npx @modelcontextprotocol/inspector";

/** How this process was started, as a command a client can run again (`npx tsx server.ts`). */
export function restartCommand(): string {
  const script = process.argv[1];
  if (script === undefined) return "node <your server file>";
  const path = underCwd(script);
  const shown = /\s/.test(path) ? JSON.stringify(path) : path;
  return /\.[cm]?tsx?$/.test(path) ? `npx tsx ${shown}` : `node ${shown}`;
}

/**
 * The script's path from the working directory when it lies beneath it, else
 * as given: node:path would be a static `node:` import in the root bundle,
 * which Workers cannot load.
 */
function underCwd(script: string): string {
  const cwd = process.cwd();
  const sep = script.includes("\\") ? "\\" : "/";
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  return script.startsWith(prefix) && script.length > prefix.length
    ? script.slice(prefix.length)
    : script;
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
