import { McpError } from "../../protocol/errors.js";
import { ErrorCode } from "../../protocol/jsonrpc.js";
import { isRecord } from "../../protocol/meta.js";
import type { ParamHeader } from "../../protocol/param-header.js";
import { clip, shown } from "../../util/echo.js";
import type { HttpExchange } from "./exchange.js";
import { targetParam } from "./target.js";

function mismatch(message: string): McpError {
  return new McpError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`);
}

/** `=?base64?…?=` carries values a header cannot hold as they are (non-ASCII, edge whitespace). */
export function decodeHeaderValue(raw: string, header: string): string {
  const value = raw.trim();
  if (!value.startsWith("=?base64?") || !value.endsWith("?=")) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value) || /[^\u0000-\u007f]/.test(value))
      throw mismatch(`${header} header value contains invalid characters`);
    return value;
  }
  const encoded = value.slice("=?base64?".length, -2);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    throw mismatch(`${header} header value is not valid base64`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)),
    );
  } catch {
    throw mismatch(`${header} header value is not valid UTF-8`);
  }
}

/**
 * Checks the headers of a 2026-07-28 POST against its body, as the transport
 * section requires: every mismatch is -32020 (HTTP 400). Messages repeat
 * header and body values through `clip` and `shown` (util/echo.ts): the body's
 * may be any JSON, nested too deep to turn into a string.
 */
export function checkModernHeaders(
  ex: HttpExchange,
  method: string,
  params: Record<string, unknown>,
  bodyVersion: unknown,
  paramHeaders: (tool: string) => readonly ParamHeader[] | undefined,
): void {
  const version = ex.header("mcp-protocol-version")?.trim();
  if (version === undefined) throw mismatch("missing MCP-Protocol-Version header");
  if (typeof bodyVersion === "string" && version !== bodyVersion)
    throw mismatch(
      `MCP-Protocol-Version header value '${clip(version)}' does not match body value ${shown(bodyVersion)}`,
    );
  const methodHeader = ex.header("mcp-method")?.trim();
  if (methodHeader === undefined) throw mismatch("missing Mcp-Method header");
  if (methodHeader !== method)
    throw mismatch(
      `Mcp-Method header value '${clip(methodHeader)}' does not match body value ${shown(method)}`,
    );
  const nameParam = targetParam(method);
  if (nameParam === undefined) return;
  const rawName = ex.header("mcp-name");
  if (rawName === undefined) throw mismatch(`missing Mcp-Name header (required for ${method})`);
  const name = decodeHeaderValue(rawName, "Mcp-Name");
  const bodyName = params[nameParam];
  if (name !== bodyName)
    throw mismatch(
      `Mcp-Name header value '${clip(name)}' does not match body value ${shown(bodyName)}`,
    );
  if (method !== "tools/call") return;
  const headers = paramHeaders(name);
  if (!headers || headers.length === 0) return;
  const args = isRecord(params.arguments) ? params.arguments : {};
  for (const param of headers) checkParamHeader(ex, param, args);
}

function checkParamHeader(
  ex: HttpExchange,
  param: ParamHeader,
  args: Record<string, unknown>,
): void {
  let value: unknown = args;
  for (const key of param.path) value = isRecord(value) ? value[key] : undefined;
  const label = `Mcp-Param-${param.name}`;
  const raw = ex.header(param.header);
  if (value === undefined || value === null) {
    if (raw !== undefined) throw mismatch(`${label} header is present but the argument is not`);
    return;
  }
  if (raw === undefined)
    throw mismatch(`missing ${label} header for argument '${param.path.join(".")}'`);
  const decoded = decodeHeaderValue(raw, label);
  const matches =
    param.type === "integer"
      ? /^-?\d+$/.test(decoded) && Number(decoded) === value
      : param.type === "boolean"
        ? decoded === String(value) && typeof value === "boolean"
        : decoded === value;
  if (!matches)
    throw mismatch(
      `${label} header value '${clip(decoded)}' does not match body value ${shown(value)}`,
    );
}
