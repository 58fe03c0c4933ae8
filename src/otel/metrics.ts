import { createNoopMeter, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";

/** The buckets the MCP semantic conventions advise for both duration histograms, in seconds. */
export const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export interface Instruments {
  readonly operation: Histogram;
  readonly session: Histogram;
}

/**
 * The histograms, from the given provider or the global one. The global one
 * is looked up per request (a few property reads): the API hands out a no-op
 * meter while no provider is registered, not a proxy, so instruments made
 * before the application registered its SDK would stay no-ops forever.
 */
export class MetricsSource {
  readonly #fixed: MeterProvider | undefined;
  readonly #name: string;
  readonly #version: string;
  #provider: MeterProvider | undefined;
  #instruments: Instruments | undefined;

  constructor(name: string, version: string, provider: MeterProvider | undefined) {
    this.#name = name;
    this.#version = version;
    this.#fixed = provider;
  }

  /** The instruments, or undefined while only the API's no-op meter is there. */
  current(): Instruments | undefined {
    const provider = this.#fixed ?? metrics.getMeterProvider();
    if (provider !== this.#provider) {
      this.#provider = provider;
      const meter = provider.getMeter(this.#name, this.#version);
      this.#instruments =
        meter === createNoopMeter()
          ? undefined
          : {
              operation: meter.createHistogram("mcp.server.operation.duration", {
                unit: "s",
                description:
                  "MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.",
                advice: { explicitBucketBoundaries: DURATION_BUCKETS },
              }),
              session: meter.createHistogram("mcp.server.session.duration", {
                unit: "s",
                description: "The duration of the MCP session as observed on the MCP server.",
                advice: { explicitBucketBoundaries: DURATION_BUCKETS },
              }),
            };
    }
    return this.#instruments;
  }
}
