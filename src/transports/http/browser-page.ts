import type { HttpExchange } from "./exchange.js";
import type { Headers } from "./replies.js";

/**
 * A browser opening the MCP URL would otherwise read a JSON-RPC error about
 * a missing `Mcp-Session-Id`. It asks for HTML and not for an event stream,
 * which no MCP client does; it gets a page saying what the URL is.
 */
export function wantsPage(ex: HttpExchange): boolean {
  const accept = ex.header("accept")?.toLowerCase();
  return accept?.includes("text/html") === true && !accept.includes("text/event-stream");
}

export function servePage(ex: HttpExchange, headers: Headers): void {
  const url = escapeHtml(ex.url.split("?")[0] ?? ex.url);
  ex.reply(
    200,
    { ...headers, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MCP server</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; line-height: 1.5">
<h1>This is an MCP server</h1>
<p>This URL speaks the <a href="https://modelcontextprotocol.io">Model Context Protocol</a>
over Streamable HTTP. It is meant for MCP clients (Claude, Cursor, VS Code, the MCP Inspector),
not for browsers.</p>
<p>Connect a client to <code>${url}</code>, or try it from a terminal:</p>
<pre>npx @modelcontextprotocol/inspector --cli ${url} --transport http --method tools/list</pre>
</body></html>
`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
