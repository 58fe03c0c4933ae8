/**
 * The peer's address, as each runtime hands it over. Only what the runtime
 * itself vouches for is read: never a header a client could write, except
 * `CF-Connecting-IP` on Cloudflare, whose edge sets it on every request.
 */

import { peerAddress } from "../../util/peer-address.js";

/**
 * The address among the arguments a runtime passed `mcp.fetch` after the
 * request, which may be passed straight through: `{ remoteAddress }` given
 * by the application, Bun's `server` (`requestIP`), Deno's handler `info`
 * (`remoteAddr`), `@hono/node-server`'s bindings (`incoming.socket`). Else,
 * on Cloudflare (a request with `cf`), the `CF-Connecting-IP` header.
 */
export function fetchRemoteAddress(
  request: Request,
  first: unknown,
  second: unknown,
): string | undefined {
  const found = fromArgument(request, first) ?? fromArgument(request, second);
  if (found !== undefined) return peerAddress(found);
  const cf = (request as { cf?: unknown }).cf;
  if (typeof cf !== "object" || cf === null) return undefined;
  return peerAddress(request.headers.get("cf-connecting-ip")?.trim());
}

function fromArgument(request: Request, value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const given = value as {
    remoteAddress?: unknown;
    requestIP?: unknown;
    remoteAddr?: { hostname?: unknown } | null;
    incoming?: { socket?: { remoteAddress?: unknown } | null } | null;
  };
  if (typeof given.remoteAddress === "string") return given.remoteAddress;
  if (typeof given.requestIP === "function") {
    try {
      // Called on its object: Bun's server.requestIP needs its `this`.
      const server = given as { requestIP(r: Request): { address?: unknown } | null };
      const ip = server.requestIP(request);
      if (typeof ip?.address === "string") return ip.address;
    } catch {
      // Bun throws for a request it did not receive (one the application rebuilt).
    }
    return undefined;
  }
  const hostname = given.remoteAddr?.hostname;
  if (typeof hostname === "string") return hostname;
  const socketAddress = given.incoming?.socket?.remoteAddress;
  return typeof socketAddress === "string" ? socketAddress : undefined;
}

/**
 * Whether a Bun `server` passed to `mcp.fetch` listens on a loopback address
 * only: its `address` is where it is bound (`hostname` is not: Bun reports
 * "localhost" for the default, which listens on every interface). Undefined
 * for anything that is not a Bun server.
 */
export function listensOnLoopback(value: unknown): boolean | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const server = value as { requestIP?: unknown; address?: { address?: unknown } | null };
  if (typeof server.requestIP !== "function") return undefined;
  const bound = server.address?.address;
  if (typeof bound !== "string") return undefined;
  return bound === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bound);
}
