import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { AskSlot, InputChannel } from "../protocol/input-channel.js";
import type { JsonRpcResponse } from "../protocol/jsonrpc.js";
import { endsRound } from "../protocol/mrtr.js";
import type { RequestTrace, TraceValue } from "../protocol/telemetry.js";
import { jsonText } from "./attributes.js";
import type { Instruments } from "./metrics.js";

/** What a request's trace needs from its telemetry, beyond its span. */
export interface TraceHost {
  readonly tracer: Tracer;
  readonly recordResults: boolean;
  readonly recordArguments: boolean;
  readonly stepSpans: boolean;
  sessionStarted(sessionId: string, attributes: Attributes): void;
}

/**
 * One request's span (when sampled) and duration metric (when a meter
 * provider is registered). Either may be missing; the engine only gets a
 * trace when at least one is there.
 */
export class OtelRequestTrace implements RequestTrace {
  readonly #host: TraceHost;
  readonly #span: Span | undefined;
  /** The parent context with this request's span in it. */
  readonly #context: Context;
  readonly #method: string;
  readonly #metric: Record<string, string>;
  readonly #instruments: Instruments | undefined;
  readonly #start = performance.now();
  #sessionId: string | undefined;

  constructor(
    host: TraceHost,
    span: Span | undefined,
    parent: Context,
    method: string,
    metric: Record<string, string>,
    instruments: Instruments | undefined,
  ) {
    this.#host = host;
    this.#span = span;
    this.#context = span ? trace.setSpan(parent, span) : parent;
    this.#method = method;
    this.#metric = metric;
    this.#instruments = instruments;
  }

  get steps(): boolean {
    return this.#span !== undefined && this.#host.stepSpans;
  }

  get recordsPayloads(): boolean {
    return this.#span !== undefined && (this.#host.recordArguments || this.#host.recordResults);
  }

  run<T>(fn: () => T): T {
    return this.#span ? context.with(this.#context, fn) : fn();
  }

  span<T>(name: string, fn: () => T, attributes?: Record<string, TraceValue>, active = false): T {
    return this.#child(name, fn, attributes, active, SpanKind.INTERNAL);
  }

  set(key: string, value: TraceValue): void {
    if (key === "mcp.session.id" && typeof value === "string") this.#sessionId = value;
    this.#span?.setAttribute(key, value);
  }

  channel(input: InputChannel): InputChannel {
    if (!this.#span) return input;
    const reserve = (): AskSlot => {
      const slot = input.reserve();
      return {
        ask: (method, params, options) =>
          this.#child(
            method,
            () => slot.ask(method, params, options),
            { "mcp.method.name": method },
            false,
            SpanKind.CLIENT,
          ),
        release: () => slot.release(),
      };
    };
    return {
      reserve,
      responses: input.responses,
      state: input.state,
      unavailable: input.unavailable,
    };
  }

  end(response: JsonRpcResponse | undefined, error?: unknown): void {
    const seconds = (performance.now() - this.#start) / 1000;
    let errorType: string | undefined;
    let message: string | undefined;
    let code: string | undefined;
    if (response === undefined) {
      errorType = "cancelled";
    } else if ("error" in response) {
      code = String(response.error.code);
      errorType = code;
      message = response.error.message;
    } else if (this.#method === "tools/call" && response.result.isError === true) {
      errorType = "tool_error";
    }
    const span = this.#span;
    if (span) {
      if (errorType !== undefined) {
        span.setAttribute("error.type", errorType);
        if (code !== undefined) span.setAttribute("rpc.response.status_code", code);
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        if (error instanceof Error && code === "-32603") span.recordException(error);
      }
      const result = response && "result" in response ? response.result : undefined;
      if (result?.resultType === "input_required") {
        span.setAttribute("fastmcp.result_type", "input_required");
      } else if (result && this.#host.recordResults && this.#method === "tools/call") {
        span.setAttribute(
          "gen_ai.tool.call.result",
          jsonText(result.structuredContent ?? result.content),
        );
      }
      span.end();
    }
    const instruments = this.#instruments;
    if (!instruments) return;
    const metric = this.#metric;
    if (errorType !== undefined) {
      metric["error.type"] = errorType;
      if (code !== undefined) metric["rpc.response.status_code"] = code;
      // An unknown tool or prompt is named by the client: as a metric attribute it would let
      // a client open a time series per name it invents.
      if (code === "-32602") {
        delete metric["gen_ai.tool.name"];
        delete metric["gen_ai.prompt.name"];
      }
    }
    instruments.operation.record(seconds, metric);
    if (this.#sessionId !== undefined && errorType === undefined) {
      this.#host.sessionStarted(this.#sessionId, {
        "mcp.protocol.version": metric["mcp.protocol.version"],
        "network.transport": metric["network.transport"],
      });
    }
  }

  /** A child span of the active one (the handler's, inside it) or else of the request's. */
  #child<T>(
    name: string,
    fn: () => T,
    attributes: Record<string, TraceValue> | undefined,
    active: boolean,
    kind: SpanKind,
  ): T {
    if (!this.#span) return fn();
    const current = context.active();
    const parent = trace.getSpan(current) ? current : this.#context;
    const child = this.#host.tracer.startSpan(name, { kind, attributes }, parent);
    let out: T;
    try {
      out = active ? context.with(trace.setSpan(parent, child), fn) : fn();
    } catch (error) {
      fail(child, error);
      throw error;
    }
    if (out instanceof Promise) {
      return out.then(
        (value) => {
          child.end();
          return value;
        },
        (error: unknown) => {
          fail(child, error);
          throw error;
        },
      ) as T;
    }
    child.end();
    return out;
  }

  get recording(): boolean {
    return this.#span !== undefined;
  }
}

/**
 * Ends a child span that threw. A 2026-07-28 round that unwinds to ask the
 * client (`InputRequiredSignal`) is no failure: the span says so instead.
 */
function fail(span: Span, error: unknown): void {
  if (endsRound(error)) {
    span.setAttribute("fastmcp.input_required", true);
  } else {
    span.setAttribute("error.type", error instanceof Error ? error.name : "_OTHER");
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}
