/** JSON-RPC 2.0 message types and the error codes MCP uses. */

export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcResultResponse {
  jsonrpc: "2.0";
  id: RequestId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcErrorResponse {
  jsonrpc: "2.0";
  /** Absent only when the request's id could not be read (parse error, invalid request). */
  id?: RequestId;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Legacy era: resources/read of a resource that does not exist. */
  ResourceNotFound: -32002,
  /** 2025-11-25: a URL-mode elicitation is required first. */
  UrlElicitationRequired: -32042,
  /** 2026-07-28: HTTP headers disagree with the body, or are missing or malformed. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the request needs a client capability the request did not declare. */
  MissingRequiredClientCapability: -32021,
  /** 2026-07-28: the request's protocol version is unknown or unsupported. */
  UnsupportedProtocolVersion: -32022,
  /**
   * Too many requests (the rate-limit middleware): outside JSON-RPC's reserved
   * range, as 2026-07-28 asks of new codes, and HTTP's number for the same.
   * `data.retryAfterSeconds` says when to try again; over HTTP it is a 429.
   */
  RateLimited: 429,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

export function resultResponse(
  id: RequestId,
  result: Record<string, unknown>,
): JsonRpcResultResponse {
  return { jsonrpc: "2.0", id, result };
}

export function errorResponse(
  id: RequestId | null | undefined,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcErrorResponse {
  const error: JsonRpcErrorObject =
    data === undefined ? { code, message } : { code, message, data };
  // MCP's schemas allow no `null` id: an error whose request id is unknown omits it.
  return id === null || id === undefined
    ? { jsonrpc: "2.0", error }
    : { jsonrpc: "2.0", id, error };
}
