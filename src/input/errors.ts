import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { ClientCapabilities } from "../protocol/types.js";
import { boundIssues } from "../schema/issues.js";
import type { SchemaIssue } from "../schema/types.js";

/**
 * The client did not declare what a `ctx.elicit`, `ctx.sample` or
 * `ctx.listRoots` call needs, so the server did not ask. Catch it to fall
 * back; left uncaught, the request is answered with -32021 and
 * `data.requiredCapabilities`, as 2026-07-28 defines.
 */
export class ClientCapabilityError extends McpError {
  override readonly name = "ClientCapabilityError";
  constructor(
    message: string,
    readonly requiredCapabilities: ClientCapabilities,
  ) {
    super(ErrorCode.MissingRequiredClientCapability, message, { requiredCapabilities });
  }
}

/**
 * The client answered a server-to-client request with a JSON-RPC error, or
 * did not answer in time (`code` -32001). Left uncaught in a tool, it becomes
 * the tool's error result.
 */
export class ClientRequestError extends Error {
  override readonly name = "ClientRequestError";
  constructor(
    /** The request the server sent: `elicitation/create`, `sampling/createMessage`, `roots/list`. */
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** JSON-RPC code the official SDKs use for a request that timed out. */
export const REQUEST_TIMEOUT = -32001;

/**
 * What the client answered does not fit: a malformed result, or accepted
 * elicitation content that fails the schema. Left uncaught, the request is
 * answered with -32602, as the 2026-07-28 multi round-trip rules ask for
 * input responses that cannot be parsed.
 */
export class InvalidClientResponseError extends McpError {
  override readonly name = "InvalidClientResponseError";
  constructor(
    message: string,
    readonly issues: readonly SchemaIssue[] = [],
  ) {
    super(
      ErrorCode.InvalidParams,
      message,
      issues.length > 0 ? { issues: boundIssues(issues) } : undefined,
    );
  }
}
