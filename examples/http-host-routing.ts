/**
 * The twin of the guide's "Host-based Routing": the server answers only
 * requests addressed to `mcp.example.com`; any other Host header gets 403.
 * The same allow-list is what guards a local server against DNS rebinding
 * (`run()` on a loopback address turns it on with the loopback names).
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("DomainServer", {
  http: { allowedHosts: ["mcp.example.com"] },
});

mcp.tool("domain_tool", { description: "Domain-specific." }, () => "domain-specific result");

if (import.meta.url === `file://${process.argv[1]}`) {
  // Behind a proxy that forwards mcp.example.com here.
  await mcp.run({ transport: "streamable-http", host: "0.0.0.0", port: 8000 });
}
