import { METADATA_PREFIX, type ServerAuth } from "../../auth/server-auth.js";
import type { HttpExchange } from "./exchange.js";

/**
 * The protected resource metadata (RFC 9728) is public and read by browser
 * clients from other origins (the Inspector, web apps): every origin may
 * read it, whatever the endpoint's CORS settings.
 */
const METADATA_CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, OPTIONS",
  "access-control-allow-headers": "MCP-Protocol-Version, Content-Type, Authorization",
  "access-control-max-age": "86400",
};

/**
 * Whether a path asks for the metadata: at its canonical place (from the
 * resource URL: reachable when the handler sees the full path), after the
 * endpoint's own path (the handler mounted under a prefix, which sees paths
 * relative to the mount), or at the root form.
 */
export function isMetadataPath(
  auth: ServerAuth | undefined,
  pathname: string,
  endpointPath: string,
): boolean {
  const metadata = auth?.metadata;
  if (metadata === undefined || !pathname.startsWith(METADATA_PREFIX)) return false;
  return (
    pathname === metadata.path ||
    pathname === METADATA_PREFIX ||
    pathname === `${METADATA_PREFIX}${endpointPath === "/" ? "" : endpointPath}`
  );
}

/** Serves the metadata document: GET (and HEAD), and the CORS preflight. */
export function serveMetadata(auth: ServerAuth, ex: HttpExchange): void {
  const json = auth.metadata?.json ?? "{}";
  const typed = { ...METADATA_CORS, "content-type": "application/json" };
  if (ex.method === "GET") ex.reply(200, { ...typed, "cache-control": "max-age=3600" }, json);
  else if (ex.method === "HEAD") ex.reply(200, typed);
  else if (ex.method === "OPTIONS") ex.reply(204, METADATA_CORS);
  else ex.reply(405, { ...METADATA_CORS, allow: "GET, HEAD, OPTIONS" });
}
