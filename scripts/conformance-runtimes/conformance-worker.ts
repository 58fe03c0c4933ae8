/**
 * examples/conformance-server.ts as a Cloudflare Worker, for the conformance
 * run on workerd (workerd-run.mjs): the same registrations, served by
 * `mcp.fetch`. The 2026-07-28 wire keeps no session, so one Worker needs
 * nothing else; several would share a `requestStateSecret`. The execution
 * context goes along: its `waitUntil` keeps a task's run alive after the
 * tools/call that started it has answered.
 */
import { mcp } from "../../examples/conformance-server.ts";

export default {
  fetch: (request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> =>
    mcp.fetch(request, ctx),
};

/** The part of Workers' `ExecutionContext` used here (no Workers types are installed). */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
