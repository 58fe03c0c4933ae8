import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { BackEnd, RoundTrip, RoundTripTracer } from "../protocol/telemetry.js";

/**
 * CLIENT spans for a store's round trips, per the OpenTelemetry database
 * conventions (and Redis's): named `{db.operation.name} {target}`, the
 * target being the script (`db.stored_procedure.name`) or else
 * `server.address:server.port`; `db.system.name`, `db.namespace` and the
 * server's address set at creation, for samplers. A span is made only under
 * an active span that records, so work outside requests (sweeps, pub/sub
 * deliveries) makes none.
 */
export class OtelRoundTrips implements RoundTripTracer {
  readonly #tracer: Tracer;
  readonly #backEnd: BackEnd;
  /** What every span of this back end carries, and its default target. */
  readonly #common: Attributes;
  readonly #server: string | undefined;

  constructor(tracer: Tracer, backEnd: BackEnd) {
    this.#tracer = tracer;
    this.#backEnd = backEnd;
    const common: Attributes = { "db.system.name": backEnd.system };
    if (backEnd.address !== undefined) {
      common["server.address"] = backEnd.address;
      if (backEnd.port !== undefined) common["server.port"] = backEnd.port;
    }
    if (backEnd.namespace !== undefined) common["db.namespace"] = backEnd.namespace;
    this.#common = common;
    this.#server =
      backEnd.address === undefined
        ? undefined
        : backEnd.port === undefined
          ? backEnd.address
          : `${backEnd.address}:${backEnd.port}`;
  }

  start(operation: string, procedure?: string): RoundTrip | undefined {
    const parent = context.active();
    if (trace.getSpan(parent)?.isRecording() !== true) return undefined;
    const attributes: Attributes = { ...this.#common, "db.operation.name": operation };
    if (procedure !== undefined) attributes["db.stored_procedure.name"] = procedure;
    const target = procedure ?? this.#server;
    const span = this.#tracer.startSpan(
      target === undefined ? operation : `${operation} ${target}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    return {
      follow: <T>(pending: Promise<T>): Promise<T> =>
        pending.then(
          (value) => {
            span.end();
            return value;
          },
          (error: unknown) => {
            this.#fail(span, error);
            throw error;
          },
        ),
    };
  }

  /** `error.type` is Redis's status code (`NOSCRIPT`) when it answered one, else the error's name. */
  #fail(span: Span, error: unknown): void {
    const status = this.#backEnd.statusOf?.(error);
    if (status !== undefined) span.setAttribute("db.response.status_code", status);
    span.setAttribute("error.type", status ?? (error instanceof Error ? error.name : "_OTHER"));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    span.end();
  }
}
