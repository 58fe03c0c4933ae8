import {
  type Attributes,
  type MeterProvider,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import type { RequestScope } from "../protocol/scope.js";
import type {
  BackEnd,
  RequestTrace,
  RoundTripTracer,
  TaskTrace,
  Telemetry,
} from "../protocol/telemetry.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { jsonText, requestAttributes, spanOnlyAttributes } from "./attributes.js";
import { headerParent, linkOf, parentOf } from "./carrier.js";
import { MetricsSource } from "./metrics.js";
import { OtelRequestTrace, type TraceHost } from "./request-trace.js";
import { OtelRoundTrips } from "./round-trips.js";
import { startTaskTrace } from "./task-trace.js";

const SERVER = { kind: SpanKind.SERVER } as const;

/** The instrumentation scope's name, as tracing back ends show it. */
export const INSTRUMENTATION_NAME = "fastmcp-ts";

export interface OpenTelemetryOptions {
  /**
   * Record tool arguments on `tools/call` spans (`gen_ai.tool.call.arguments`,
   * as JSON). They may hold personal data or secrets. Default false.
   */
  recordArguments?: boolean;
  /** Record tool results on `tools/call` spans (`gen_ai.tool.call.result`, as JSON). Default false. */
  recordResults?: boolean;
  /**
   * The tracer provider to use instead of the global one. Passing it makes
   * spans independent of which copy of `@opentelemetry/api` registered the
   * global provider (see docs/observability.md, "One copy of the API").
   */
  tracerProvider?: TracerProvider;
  /** The meter provider to use instead of the global one. */
  meterProvider?: MeterProvider;
  /** The instrumentation version reported with spans and metrics. Default: none. */
  version?: string;
  /**
   * A span for each step inside a request besides its own: `validate_input`
   * and `execute_tool` for a tool call. Default false: the request span is
   * already the tool's execution span in the MCP semantic conventions, spans
   * started in a handler nest under it, and every span an SDK records costs
   * CPU (docs/observability.md, "What tracing costs").
   */
  stepSpans?: boolean;
}

const OPTION_KEYS = {
  recordArguments: true,
  recordResults: true,
  tracerProvider: true,
  meterProvider: true,
  version: true,
  stepSpans: true,
} satisfies KeyList<OpenTelemetryOptions>;

/**
 * OpenTelemetry tracing and metrics for a server, following the MCP semantic
 * conventions: pass it as the `telemetry` option. Spans and metrics go to the
 * providers the application registered with `@opentelemetry/api` (or the ones
 * given here); with none registered, a request costs one no-op span.
 *
 * ```ts
 * import { openTelemetry } from "fastmcp-ts/otel";
 * const mcp = new FastMCP("weather", { telemetry: openTelemetry() });
 * ```
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  checkOptionsObject(options, "openTelemetry()", "the options");
  checkKnownKeys(options, OPTION_KEYS, { owner: "openTelemetry()" });
  return new OtelTelemetry(options);
}

class OtelTelemetry implements Telemetry, TraceHost {
  readonly tracer: Tracer;
  readonly recordArguments: boolean;
  readonly recordResults: boolean;
  readonly stepSpans: boolean;
  readonly #metrics: MetricsSource;
  /** When each legacy session this process opened began, for its duration (one entry per session). */
  readonly #sessions = new Map<string, { start: number; attributes: Attributes }>();

  constructor(options: OpenTelemetryOptions) {
    const version = options.version;
    // The global API's tracer is a proxy: an SDK registered later is still found.
    this.tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
      INSTRUMENTATION_NAME,
      version,
    );
    this.recordArguments = options.recordArguments === true;
    this.recordResults = options.recordResults === true;
    this.stepSpans = options.stepSpans === true;
    this.#metrics = new MetricsSource(INSTRUMENTATION_NAME, version ?? "", options.meterProvider);
  }

  startRequest(scope: RequestScope): RequestTrace | undefined {
    const instruments = this.#metrics.current();
    const parent = parentOf(scope);
    // Links are taken at start only. The transport's context is linked when `_meta` named the parent.
    const link = linkOf(parent);
    // Named by method first: the full name and attributes are made only when the span records.
    const span = this.tracer.startSpan(
      scope.method,
      link ? { kind: SpanKind.SERVER, links: [{ context: link }] } : SERVER,
      parent.context,
    );
    const recording = span.isRecording();
    if (!recording && !instruments) return undefined;
    const { name, common } = requestAttributes(scope);
    if (recording) {
      span.updateName(name);
      span.setAttributes(common);
      span.setAttributes(spanOnlyAttributes(scope));
      if (this.recordArguments && scope.method === "tools/call") {
        span.setAttribute("gen_ai.tool.call.arguments", jsonText(scope.params.arguments ?? {}));
      }
    }
    return new OtelRequestTrace(
      this,
      recording ? span : undefined,
      parent.context,
      scope.method,
      common,
      instruments,
    );
  }

  async authCheck<T>(
    header: (name: string) => string | undefined,
    check: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const span = this.tracer.startSpan("verify_token", undefined, headerParent(header));
    if (!span.isRecording()) return check();
    try {
      const verified = await check();
      // A refused request was answered (400, 401, 403 or 503) by the check itself.
      span.setAttribute("fastmcp.auth.verified", verified !== undefined);
      return verified;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  sessionStarted(sessionId: string, attributes: Attributes): void {
    this.#sessions.set(sessionId, { start: performance.now(), attributes });
  }

  sessionEnded(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    this.#metrics
      .current()
      ?.session.record((performance.now() - session.start) / 1000, session.attributes);
  }

  startTask(taskId: string, tool: string): TaskTrace | undefined {
    return startTaskTrace(this, taskId, tool);
  }

  roundTrips(backEnd: BackEnd): RoundTripTracer {
    return new OtelRoundTrips(this.tracer, backEnd);
  }
}
