/**
 * Elicitation: the twin of Python FastMCP's `book_table` example.
 *
 * `ctx.elicit(message, form)` asks the user to fill in a form and waits for
 * the answer. The form is a shape of schemas, as a tool's input is; the
 * accepted content is validated with it and typed from it. The same code runs
 * in both protocol eras: a server-to-client request for 2025 clients, and a
 * multi round-trip request (`input_required`) for 2026-07-28 clients.
 */
import { z } from "zod";
import { ClientCapabilityError, FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("Booking");

/** Python: `class BookingPreferences(BaseModel)` with two fields. */
const BookingPreferences = {
  checkAlternative: z.boolean().describe("Would you like to check another date?"),
  alternativeDate: z.iso.date().default("2024-12-26").describe("Alternative date (YYYY-MM-DD)"),
};

mcp.tool(
  "book_table",
  {
    description: "Book a table at the restaurant.",
    input: { date: z.iso.date(), time: z.string(), party_size: z.number().int().min(1) },
  },
  async ({ date, time, party_size }, ctx) => {
    if (date !== "2024-12-25") return `[SUCCESS] Booked for ${date} at ${time}`;
    const result = await ctx
      .elicit(
        `No tables available for ${party_size} on ${date}. Would you like to try another date?`,
        BookingPreferences,
      )
      .catch((error: unknown) => {
        // A client that cannot show forms is never asked.
        if (error instanceof ClientCapabilityError) return undefined;
        throw error;
      });
    if (!result) return `[UNAVAILABLE] Fully booked on ${date}`;
    if (result.action !== "accept") return "[CANCELLED] Booking cancelled";
    const { checkAlternative, alternativeDate } = result.content;
    return checkAlternative
      ? `[SUCCESS] Booked for ${alternativeDate} at ${time}`
      : "[CANCELLED] No booking made";
  },
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
