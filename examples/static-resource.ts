/**
 * A static resource: the twin of the guide's
 * `@mcp.resource("config://settings") def get_settings() -> str`.
 *
 * The URI is the first argument and the docstring becomes `description`.
 * Returning a plain object sends its JSON as `application/json` text (a
 * string would be sent as it is, as `text/plain`).
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

mcp.resource("config://settings", { description: "Get application settings." }, () => ({
  theme: "dark",
  language: "en",
}));

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
