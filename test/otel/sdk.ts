/**
 * The OpenTelemetry SDK as an application registers it, with in-memory
 * exporters: one tracer provider (spans exported as they end), one meter
 * provider read on demand, the W3C propagators and the async context manager.
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface Sdk {
  readonly exporter: InMemorySpanExporter;
  readonly reader: MetricReader;
  spans(): ReadableSpan[];
  /** The recorded data points of one histogram, and its descriptor's unit. */
  histogram(name: string): Promise<{ unit: string; points: DataPoint<Histogram>[] }>;
}

export function registerSdk(): Sdk {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  const reader = new TestReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return {
    exporter,
    reader,
    spans: () => exporter.getFinishedSpans(),
    histogram: async (name) => {
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) {
            return {
              unit: metric.descriptor.unit,
              points: metric.dataPoints as DataPoint<Histogram>[],
            };
          }
        }
      }
      return { unit: "", points: [] };
    },
  };
}
