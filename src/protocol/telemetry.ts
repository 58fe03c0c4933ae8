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
  /**
   * A task's background run (tasks extension), started while the request
   * that created it is active: a span that continues that request's trace
   * and ends with the task's terminal status. Undefined when it would not
   * record.
   */
  startTask?(taskId: string, tool: string): TaskTrace | undefined;
  /** Spans for a store's round trips to its back end (`fastmcp-ts/redis`). */
  roundTrips?(backEnd: BackEnd): RoundTripTracer;
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
   * them otherwise, so an untraced step costs no closure. Absent: false.
   */
  readonly steps?: boolean;
  /** Whether arguments and results are recorded (opted in). */
  readonly recordsPayloads: boolean;
  /** Ends the request with its response (undefined: cancelled) and, if it failed, what was thrown. */
  end(response: JsonRpcResponse | undefined, error?: unknown): void;
  /**
   * Whether the request's span records: child spans (and their attributes)
   * are made only then. Absent: false.
   */
  readonly recording?: boolean;
}

/** How a task's run ended, as its status says. */
export interface TaskOutcome {
  readonly status: "completed" | "failed" | "cancelled";
  /** The JSON-RPC error of a failed task. */
  readonly error?: { readonly code: number; readonly message: string } | undefined;
  /** A completed task whose tool result is an error (`isError`). */
  readonly toolError?: boolean;
}

/** A task's background run: its span, and the spans inside it. */
export interface TaskTrace {
  /** The run's own trace: the handler's spans and its asks (CLIENT spans until tasks/update answers). */
  readonly trace: RequestTrace;
  /** Ends the run's span with the task's terminal status. */
  end(outcome: TaskOutcome): void;
}

/** Where a store's round trips go, as database client spans describe it. */
export interface BackEnd {
  /** `db.system.name`: "redis". */
  readonly system: string;
  /** `server.address` (never credentials); undefined when not known (a client was given). */
  readonly address?: string | undefined;
  readonly port?: number | undefined;
  /** `db.namespace`: Redis's database index. */
  readonly namespace?: string | undefined;
  /** The back end's own status code for a failure (Redis's error prefix, `NOSCRIPT`), if it is one. */
  statusOf?(error: unknown): string | undefined;
}

/** Makes CLIENT spans for one back end's round trips. */
export interface RoundTripTracer {
  /**
   * A span for one round trip about to go out, named `{operation} {target}`
   * (`target`: `procedure`, a script, or else the server's address), under
   * the active span. Undefined when no active span records: a store's
   * background work (sweeps, pub/sub deliveries) makes no spans, and the
   * caller then pays only this call.
   */
  start(operation: string, procedure?: string): RoundTrip | undefined;
}

/** One round trip's span. */
export interface RoundTrip {
  /** Ends the span when `pending` settles (rejected: an error span); settles as `pending` does. */
  follow<T>(pending: Promise<T>): Promise<T>;
}

/**
 * A store that reports its round trips (`fastmcp-ts/redis`'s do): a server
 * with telemetry hands it over once, at construction, for each store it was
 * given. Several servers may share a store: the first telemetry is kept, and
 * spans nest under whichever request is active when a command goes out.
 */
export interface TracedStore {
  traceRoundTrips(telemetry: Telemetry): void;
}
