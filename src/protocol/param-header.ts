/**
 * A tool argument mirrored into an `Mcp-Param-{Name}` HTTP header (2026-07-28,
 * `x-mcp-header`), so gateways can route on it without reading the body.
 * Tools declare them (`components/param-headers.ts`); the HTTP transport checks
 * the headers against the body.
 */
export interface ParamHeader {
  /** The header's name as sent, without the `Mcp-Param-` prefix. */
  readonly name: string;
  /** Lower-case full header name, for lookups. */
  readonly header: string;
  /** Property names from the argument object's root to the value. */
  readonly path: readonly string[];
  readonly type: "string" | "integer" | "boolean";
}
