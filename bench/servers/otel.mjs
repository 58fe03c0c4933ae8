// The `call-otel` workloads' server side: with OTEL_BENCH set (by the harness,
// bench/src/server-process.ts), fastmcp-ts servers take the `telemetry`
// option of fastmcp-ts/otel. "sdk": the OpenTelemetry SDK is registered, every
// span recorded and batched to an in-memory exporter (each batch dropped once
// exported, as a network exporter drops it once sent), the duration metrics
// recorded; "api": @opentelemetry/api
// is loaded and the option given, but no SDK registered (what a server pays for
// tracing it has not switched on). The packages are resolved from the
// project's node_modules. Loaded only then, so other workloads load none of it.

/** The server options that trace the server, or none. */
export async function telemetryOptions() {
  const mode = process.env.OTEL_BENCH;
  if (!mode) return {};
  const { openTelemetry } = await import("../../dist/otel/index.js");
  // "sdk-no-context": the SDK without its async context manager (otel-http-cpu.ts shows
  // what the manager's promise hooks cost apart from the spans).
  if (mode.startsWith("sdk")) {
    const { context, metrics, propagation, trace } = await import("@opentelemetry/api");
    const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
    const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
    const { BatchSpanProcessor, InMemorySpanExporter, TracerProvider } = await import(
      "@opentelemetry/sdk-trace"
    );
    const {
      MeterProvider,
      PeriodicExportingMetricReader,
      InMemoryMetricExporter,
      AggregationTemporality,
    } = await import("@opentelemetry/sdk-metrics");
    // Each batch is dropped once handed over, as a network exporter drops it once sent:
    // spans kept for a second would be promoted and collected by the old generation's GC,
    // a cost of this harness, not of tracing (several µs per request on the bench machine).
    class SentSpanExporter extends InMemorySpanExporter {
      export(spans, done) {
        super.export(spans, done);
        this.reset();
      }
    }
    const exporter = new SentSpanExporter();
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] }),
    );
    if (mode !== "sdk-no-context")
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    metrics.setGlobalMeterProvider(
      new MeterProvider({
        readers: [
          new PeriodicExportingMetricReader({
            exporter: metricExporter,
            exportIntervalMillis: 1000,
          }),
        ],
      }),
    );
    setInterval(() => metricExporter.reset(), 1000).unref();
  }
  // "sdk-alone": the SDK registered, the server not traced (what the SDK costs by itself).
  if (mode === "sdk-alone") return {};
  // "sdk-steps": with a span for each step inside a request too (stepSpans).
  return { telemetry: openTelemetry({ stepSpans: mode === "sdk-steps" }) };
}
