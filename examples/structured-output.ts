/**
 * Structured output: the twin of the guide's Pydantic `WeatherResult` and
 * TypedDict `SearchResult`.
 *
 * Python reads the output schema from the return annotation; TypeScript types
 * are gone at run time, so the schema is given as `output`. The tool then
 * lists an `outputSchema`, its return value is type-checked against the
 * schema, validated at run time, and sent as `structuredContent` (plus the
 * same JSON as text, for clients that read only `content`).
 */
import { z } from "zod";
import { FastMCP, Image, ToolResult } from "../src/index.ts";

// Using a zod object (the Pydantic model's twin)
export const WeatherResult = z.object({
  temperature: z.number().describe("Temperature in Celsius"),
  conditions: z.string().describe("Weather conditions"),
  humidity: z.number().int().min(0).max(100).describe("Humidity percentage"),
});
export type WeatherResult = z.infer<typeof WeatherResult>;

// A plain shape of fields (the TypedDict's twin)
export const SearchResult = z.object({
  query: z.string(),
  count: z.number().int(),
  results: z.array(z.string()),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const mcp = new FastMCP("MyServer");

mcp.tool(
  "get_weather",
  { description: "Get weather for a city.", input: { city: z.string() }, output: WeatherResult },
  // Return a plain object: it is validated against WeatherResult before it is sent.
  (): WeatherResult => ({ temperature: 22.5, conditions: "Partly cloudy", humidity: 65 }),
);

mcp.tool(
  "search_docs",
  { description: "Search documentation.", input: { query: z.string() }, output: SearchResult },
  ({ query }): SearchResult => ({ query, count: 3, results: ["doc1", "doc2", "doc3"] }),
);

// Content and structured data together: a ToolResult. Its structuredContent is
// validated against the output schema; returning the Image alone would be an error.
const ChartInfo = z.object({ width: z.number().int(), height: z.number().int() });
const PIXEL_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

mcp.tool(
  "render_chart",
  { description: "Render a chart and describe it.", output: ChartInfo },
  () =>
    new ToolResult({
      content: [new Image({ data: PIXEL_PNG, format: "png" })],
      structuredContent: { width: 1, height: 1 },
    }),
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
