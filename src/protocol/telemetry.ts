import type { InputChannel } from "./input-channel.js";
import type { JsonRpcResponse } from "./jsonrpc.js";
import type { RequestScope } from "./scope.js";

/** Attribute values a trace takes: what every tracing back end can store. */
export type TraceValue = string | number | boolean;

/**
 * Where the engine reports what it does, for tracing and metrics. The
 * engine knows nothing of OpenTelemetry: `openTelemetry()` from
 * `fastmcp-ts/otel` makes one of these, so a server without the option
 * neither loads `@opentelemetry/api` nor pays more than one branch per
 * request.
 */
export interface Telemetry {
  /**
   * Called once per request, before dispatch. Returns undefined when
   * nothing would be recorded (no SDK registered, span not sampled and no
   * metrics), which is the common case it must keep cheap.
   */
  startRequest(scope: RequestScope): RequestTrace | undefined;
  /** A legacy session ended (deleted, expired or closed), for `mcp.server.session.duration`. */
  sessionEnded(sessionId: string): void;
  /**
   * Wraps an HTTP request's bearer-token check, which runs before any MCP
   * request is read: a span whose parent comes from the HTTP headers
   * (`header` reads one), and says whether `check` let the request in
   * (resolved with a value, not undefined).
   */
  authCheck?<T>(
    header: (name: string) => string | undefined,
    check: () => Promise<T | undefined>,
  ): Promise<T | undefined>;
}

/** One request's trace: its span, the spans inside it, and its duration metric. */
export interface RequestTrace {
  /** Runs `fn` with the request's span active, so spans started inside nest under it. */
  run<T>(fn: () => T): T;
  /**
   * A child span around `fn` (sync or async). With `active`, `fn` runs with
   * the child active too, so the handler's own spans nest under it.
   */
  span<T>(name: string, fn: () => T, attributes?: Record<string, TraceValue>, active?: boolean): T;
  /** Sets an attribute on the request's span. */
  set(key: string, value: TraceValue): void;
  /** Wraps the request's input channel: each ask to the client becomes a CLIENT span. */
  channel(input: InputChannel): InputChannel;
  /**
   * Whether the steps inside the request (validating a tool's input, running
   * its handler) get spans of their own (opted in): callers skip `span` for
   * them otherwise, so an untraced step costs no closure.
   */
  readonly steps: boolean;
  /** Whether arguments and results are recorded (opted in). */
  readonly recordsPayloads: boolean;
  /** Ends the request with its response (undefined: cancelled) and, if it failed, what was thrown. */
  end(response: JsonRpcResponse | undefined, error?: unknown): void;
}
