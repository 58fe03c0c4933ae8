/**
 * fastmcp-ts/middleware: built-in middleware for `mcp.use()`. Its own entry,
 * so a server that uses none of it loads none of it.
 */
export { addressKey, addressOf, forwardedFor } from "./client-address.js";
export { type ErrorMapper, errorMapping } from "./error-mapping.js";
export { callerOf, clientOf, subjectOf } from "./identity.js";
export { type LoggingOptions, logging, type RequestLogEntry } from "./logging.js";
export type { RequestStatus } from "./outcome.js";
export { type RateLimitOptions, rateLimit } from "./rate-limit.js";
export {
  type CacheRule,
  type ResponseCache,
  type ResponseCacheOptions,
  responseCache,
} from "./response-cache.js";
export { type ResponseSizeLimitOptions, responseSizeLimit } from "./size-limit.js";
export { type RequestTiming, timing } from "./timing.js";
