/**
 * examples/conformance-server.ts as a Cloudflare Worker, for the conformance
 * run on workerd (workerd-run.mjs): the same registrations, served by
 * `mcp.fetch`. The 2026-07-28 wire keeps no session, so one Worker needs
 * nothing else; several would share a `requestStateSecret`.
 */
import { mcp } from "../../examples/conformance-server.ts";

export default {
  fetch: (request: Request): Promise<Response> => mcp.fetch(request),
};
