import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Middleware } from "../protocol/middleware.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";

export interface ResponseSizeLimitOptions {
  /** The largest result allowed, in bytes of its JSON (UTF-8). */
  readonly maxBytes: number;
  /** The methods checked (default `tools/call`, `resources/read`, `prompts/get`: what handlers make). */
  readonly methods?: readonly string[];
}

const KEYS = { maxBytes: true, methods: true } as const satisfies KeyList<ResponseSizeLimitOptions>;

const DEFAULT_METHODS = ["tools/call", "resources/read", "prompts/get"];

/**
 * Refuses results over `maxBytes`: a tool's becomes a tool error the model
 * can read (`isError: true`), anything else a JSON-RPC error -32603. Both say
 * the size and the limit. Each checked result is serialized once more.
 */
export function responseSizeLimit(options: ResponseSizeLimitOptions): Middleware {
  checkOptionsObject(options, "responseSizeLimit()", "options");
  if (options === undefined) throw new TypeError("responseSizeLimit() needs { maxBytes }");
  checkKnownKeys(options, KEYS, { owner: "responseSizeLimit()" });
  const { maxBytes, methods = DEFAULT_METHODS } = options;
  if (typeof maxBytes !== "number" || !Number.isInteger(maxBytes) || maxBytes <= 0)
    throw new TypeError("responseSizeLimit(): maxBytes must be a positive whole number of bytes");
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === "string"))
    throw new TypeError(
      'responseSizeLimit(): methods must be a list of method names, e.g. ["tools/call"]',
    );
  const checked = new Set(methods);
  return async (request, next) => {
    const result = await next();
    if (!checked.has(request.method) || result.resultType === "input_required") return result;
    const bytes = utf8Length(JSON.stringify(result));
    if (bytes <= maxBytes) return result;
    const message = `Response too large: ${bytes} bytes, over the limit of ${maxBytes} bytes`;
    if (request.method === "tools/call")
      return { content: [{ type: "text", text: message }], isError: true };
    throw new McpError(ErrorCode.InternalError, message, { bytes, maxBytes });
  };
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}
