/**
 * Traces and metrics to an OpenTelemetry collector over OTLP/HTTP. The
 * application registers the OpenTelemetry SDK first; the server's
 * `telemetry: openTelemetry()` then reports a span per request (tools/call,
 * prompts/get, ...) with its asks to the client as child spans, and the
 * `mcp.server.*.duration` metrics (`openTelemetry({ stepSpans: true })`
 * adds a span for validation and one for the handler). Needs the SDK packages:
 *
 *   npm install @opentelemetry/api @opentelemetry/sdk-trace @opentelemetry/sdk-metrics \
 *     @opentelemetry/context-async-hooks @opentelemetry/core \
 *     @opentelemetry/exporter-trace-otlp-http @opentelemetry/exporter-metrics-otlp-http
 *
 * Run a collector (Jaeger's all-in-one takes OTLP/HTTP on 4318; its UI is on 16686):
 *
 *   docker run --rm -p 16686:16686 -p 4318:4318 jaegertracing/all-in-one
 *   OTEL_SERVICE_NAME=weather OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 npx tsx examples/otel.ts
 *
 * The exporters read the standard OTEL_EXPORTER_OTLP_* variables (endpoint,
 * headers for a hosted back end's API key, timeout).
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { z } from "zod";
import { FastMCP } from "../src/index.ts";
import { openTelemetry } from "../src/otel/index.ts";

/** Registers the SDK globally, exporting over OTLP/HTTP; `shutdown` flushes what is left. */
export function startTelemetry(): { shutdown(): Promise<void> } {
  const tracerProvider = new TracerProvider({
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  // Spans the handlers start nest under the request's span (async context), and
  // a client's traceparent/tracestate/baggage are read (W3C formats).
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return {
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

export function createServer(): FastMCP {
  const mcp = new FastMCP("Weather", { telemetry: openTelemetry() });
  const tracer = trace.getTracer("weather-app");

  mcp.tool("forecast", { input: { city: z.string() } }, async ({ city }) => {
    // The handler's own span: a child of `tools/call forecast`, in the client's trace.
    return tracer.startActiveSpan("lookup forecast", async (span) => {
      span.setAttribute("weather.city", city);
      try {
        return `Sunny in ${city}`;
      } finally {
        span.end();
      }
    });
  });
  // Spans `prompts/get outlook` and `resources/read`; `openTelemetry({ stepSpans: true })` adds
  // one for each handler (`render_prompt outlook`, `read_resource weather://{city}/today`).
  mcp.prompt(
    "outlook",
    { args: { city: z.string() } },
    ({ city }) => `What should I wear in ${city}?`,
  );
  mcp.resource("weather://{city}/today", {}, ({ city }) => `Sunny in ${city}`);
  // With `...redisState({ url })` among the options, Redis commands are CLIENT spans under these.
  return mcp;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const telemetry = startTelemetry();
  await createServer().run({
    transport: "streamable-http",
    port: Number(process.env.PORT ?? 8000),
  });
  // run() returns after a graceful shutdown (SIGINT, SIGTERM): send the last spans before exiting.
  await telemetry.shutdown();
}
