/** The server every fuzz driver talks to: one component of each kind, none that fails on its own. */
import { z } from "zod";
import { FastMCP, type Logger } from "../../src/index.ts";

/** Records what the server logs at ERROR: for a client's mistake there must be nothing. */
export interface ErrorLog {
  readonly lines: string[];
}

export function fuzzServer(errors: ErrorLog, options: { statelessHttp?: boolean } = {}): FastMCP {
  const quiet = () => {};
  const logger: Logger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: (message, ...details) => {
      errors.lines.push([message, ...details.map((detail) => String(detail))].join(" "));
    },
  };
  const mcp = new FastMCP("Fuzz", { logger, pageSize: 2, jsonResponse: true, ...options });
  mcp.tool("add", { input: { a: z.number().int(), b: z.number().int() } }, ({ a, b }) => a + b);
  mcp.tool("echo", { input: { value: z.unknown() } }, ({ value }) => ({ value }));
  mcp.tool(
    "weather",
    { input: { city: z.string() }, output: z.object({ temperature: z.number() }) },
    ({ city }) => ({ temperature: city.length }),
  );
  mcp.resource("res://static", () => "static text");
  mcp.resource("res://items/{id}", ({ id }) => `item ${id}`);
  mcp.prompt(
    "greet",
    {
      args: { name: z.string(), count: z.number().optional() },
      complete: { name: (value) => ["alice", "bob"].filter((name) => name.startsWith(value)) },
    },
    ({ name }) => `Hello, ${name}`,
  );
  return mcp;
}
