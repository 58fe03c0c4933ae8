import { clip } from "../../util/echo.js";
import type { HttpExchange } from "./exchange.js";
import type { HttpSettings } from "./settings.js";

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The host names `run()` allows by default when it binds to a loopback address. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];
const LOOPBACK_HOST_SET: ReadonlySet<string> = new Set(LOOPBACK_HOST_NAMES);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** `example.com:8080` → `example.com`; `[::1]:80` → `[::1]`. */
function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) {
    const end = lower.indexOf("]");
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(":");
  return colon === -1 ? lower : lower.slice(0, colon);
}

/**
 * DNS rebinding guard: a page on an attacker's domain that resolves to
 * 127.0.0.1 still sends its own name as `Host`. Without `allowedHosts`, a
 * server the runtime says listens on loopback only (Bun's) answers only the
 * loopback names, as `run()` does there. Returns why the request is
 * refused, or undefined.
 */
export function checkHost(ex: HttpExchange, settings: HttpSettings): string | undefined {
  const allowed =
    settings.allowedHosts ?? (ex.listensOnLoopback === true ? LOOPBACK_HOST_SET : undefined);
  if (!allowed) return undefined;
  const host = ex.header("host");
  if (host === undefined) return "Missing Host header";
  const lower = host.toLowerCase();
  if (allowed.has(lower) || allowed.has(hostnameOf(lower))) return undefined;
  return `Host "${clip(host)}" is not allowed`;
}

/**
 * The spec's Origin rule: a present Origin must be one we trust (403
 * otherwise). Same-origin requests and loopback-to-loopback requests are
 * trusted; everything else must be listed.
 */
export function checkOrigin(ex: HttpExchange, settings: HttpSettings): string | undefined {
  const origin = ex.header("origin");
  if (origin === undefined || settings.allowedOrigins === "*") return undefined;
  if (settings.allowedOrigins.has(origin)) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin "${clip(origin)}" is not allowed`;
  }
  const host = ex.header("host");
  if (host !== undefined) {
    if (url.host.toLowerCase() === host.toLowerCase()) return undefined;
    if (isLoopbackHost(url.hostname) && isLoopbackHost(hostnameOf(host))) return undefined;
  }
  return `Origin "${clip(origin)}" is not allowed`;
}

/** Headers browsers must be allowed to read for MCP clients to work. */
const MCP_EXPOSED_HEADERS = [
  "Mcp-Session-Id",
  "Mcp-Protocol-Version",
  "WWW-Authenticate",
  "Retry-After",
];
const MCP_ALLOWED_HEADERS =
  "Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID";

/** CORS response headers for this request, or undefined when CORS is off or the origin is not allowed. */
export function corsHeaders(
  ex: HttpExchange,
  settings: HttpSettings,
): Record<string, string> | undefined {
  const cors = settings.cors;
  const origin = ex.header("origin");
  if (!cors || origin === undefined) return undefined;
  const allowed =
    cors.origin === "*" ||
    (typeof cors.origin === "string" ? cors.origin === origin : cors.origin.includes(origin));
  if (!allowed) return undefined;
  return {
    "access-control-allow-origin": cors.origin === "*" ? "*" : origin,
    "access-control-expose-headers": [...MCP_EXPOSED_HEADERS, ...cors.exposeHeaders].join(", "),
    vary: "Origin",
  };
}

/** The answer to a CORS preflight; `Mcp-Param-*` headers are echoed since they cannot be listed ahead. */
export function preflightHeaders(
  ex: HttpExchange,
  settings: HttpSettings,
  cors: Record<string, string>,
): Record<string, string> {
  const requested = ex.header("access-control-request-headers");
  return {
    ...cors,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": requested
      ? `${MCP_ALLOWED_HEADERS}, ${requested}`
      : MCP_ALLOWED_HEADERS,
    "access-control-max-age": String(settings.cors?.maxAge ?? 600),
  };
}
