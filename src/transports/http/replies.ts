import {
  ErrorCode,
  errorResponse,
  type JsonRpcResponse,
  type RequestId,
} from "../../protocol/jsonrpc.js";
import type { HttpExchange } from "./exchange.js";
import type { HttpSettings } from "./settings.js";

/** Response headers every answer of one exchange carries (CORS, when enabled). */
export type Headers = Record<string, string>;

/** Every method the endpoint answers, for `Allow` headers. */
export const ALLOW = "GET, POST, DELETE, OPTIONS";

/** An HTTP error whose body is a JSON-RPC error, as Streamable HTTP clients expect. */
export function errorReply(
  ex: HttpExchange,
  headers: Headers,
  status: number,
  id: RequestId | undefined,
  code: number,
  message: string,
  data?: unknown,
): void {
  ex.reply(
    status,
    { ...headers, "content-type": "application/json" },
    JSON.stringify(errorResponse(id, code, message, data)),
  );
}

export function methodNotAllowed(ex: HttpExchange, headers: Headers, settings: HttpSettings): void {
  errorReply(
    ex,
    { ...headers, allow: settings.stateless ? "POST, OPTIONS" : ALLOW },
    405,
    undefined,
    ErrorCode.InvalidRequest,
    `Method Not Allowed: ${ex.method} is not served here`,
  );
}

/** Wildcards per media type, worked out once rather than on every request. */
const WILDCARDS = new Map<string, string>();

/** Whether an Accept header admits any of the types (`*\/*` and `type/*` count). */
export function acceptsAny(accept: string, types: readonly string[]): boolean {
  const lower = accept.toLowerCase();
  if (lower.includes("*/*")) return true;
  for (const type of types) {
    let wildcard = WILDCARDS.get(type);
    if (wildcard === undefined) {
      wildcard = `${type.split("/")[0]}/*`;
      WILDCARDS.set(type, wildcard);
    }
    if (lower.includes(type) || lower.includes(wildcard)) return true;
  }
  return false;
}

/**
 * The answer to a POST that carried no request: 202 for a notification or a
 * response, but a message JSON-RPC cannot take (an id that is not a string or
 * number, no method) gets the engine's Invalid Request error, with 400.
 */
export function acceptedOrRefused(
  ex: HttpExchange,
  headers: Headers,
  response: JsonRpcResponse | undefined,
): void {
  if (response === undefined) ex.reply(202, headers);
  else ex.reply(400, { ...headers, "content-type": "application/json" }, JSON.stringify(response));
}
