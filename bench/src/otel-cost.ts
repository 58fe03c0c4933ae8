/**
 * What tracing costs per tools/call, in process: no HTTP, no load generator,
 * so the figure is the engine's own CPU and is not drowned by a busy machine.
 * The same server three ways, measured in alternating rounds so that noise
 * lands on all of them alike: no telemetry; `openTelemetry()` with
 * `@opentelemetry/api` loaded but no SDK registered; `openTelemetry()` with
 * the SDK registered (every span recorded, batched to an in-memory exporter
 * emptied each round; the duration metrics recorded). The SDK is registered
 * only for the last pair, since registering it is global.
 *
 *   node --import tsx bench/src/otel-cost.ts [--rounds=15] [--calls=20000]
 *
 * The HTTP workloads call-otel and call-otel-noop (`npm run bench`) measure
 * the same through the whole stack; this isolates the part tracing adds.
 */
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, InMemorySpanExporter, TracerProvider } from "@opentelemetry/sdk-trace";
import { z } from "zod";
import { type Envelope, FastMCP } from "../../src/index.ts";
import { openTelemetry } from "../../src/otel/index.ts";
import { modernCall } from "./messages.ts";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const ROUNDS = arg("rounds", 15);
const CALLS = arg("calls", 20_000);
const CONCURRENCY = 50;

async function server(telemetry: boolean): Promise<FastMCP> {
  const mcp = new FastMCP("bench", {
    statelessHttp: true,
    logLevel: "error",
    ...(telemetry ? { telemetry: openTelemetry() } : {}),
  });
  mcp.tool(
    "add",
    { input: { a: z.number(), b: z.number() }, output: z.object({ sum: z.number() }) },
    ({ a, b }) => ({ sum: a + b }),
  );
  await mcp.start();
  return mcp;
}

const call = modernCall();
const envelope: Envelope = {
  outbound: { send() {} },
  channelId: "bench",
  http: {
    method: "POST",
    url: "http://127.0.0.1/mcp",
    headers: Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toLowerCase(), v])),
  },
};

/**
 * Calls per CPU second (user + system) over CALLS calls, CONCURRENCY at a
 * time: CPU time, not wall time, so that other processes on a busy machine
 * change the figure far less.
 */
async function round(mcp: FastMCP): Promise<number> {
  const body = call.body as { params: Record<string, unknown> };
  const start = process.cpuUsage();
  for (let done = 0; done < CALLS; done += CONCURRENCY) {
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < CONCURRENCY; k++)
      batch.push(
        mcp.handleMessage(
          { jsonrpc: "2.0", id: done + k, method: "tools/call", params: body.params },
          envelope,
        ),
      );
    const answers = await Promise.all(batch);
    const first = answers[0] as { result?: { structuredContent?: { sum?: number } } };
    if (first.result?.structuredContent?.sum !== 3) throw new Error(JSON.stringify(first));
  }
  const used = process.cpuUsage(start);
  return CALLS / ((used.user + used.system) / 1e6);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Alternates the two servers for ROUNDS rounds; the median of each round's ratio. */
async function compare(base: FastMCP, other: FastMCP, between?: () => void) {
  await round(base);
  await round(other);
  const ratios: number[] = [];
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = await round(base);
    const b = await round(other);
    between?.();
    ratios.push(b / a);
    rates.push(a, b);
  }
  return {
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    base: median(rates.filter((_, i) => i % 2 === 0)),
    other: median(rates.filter((_, i) => i % 2 === 1)),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const plain = await server(false);
const noSdk = await server(true);
const noop = await compare(plain, noSdk);
console.log(
  `API loaded, no SDK: ${pct(noop.ratio)} of the untraced calls per CPU second (rounds: ${pct(noop.min)}–${pct(noop.max)}; ${Math.round(noop.base)} vs ${Math.round(noop.other)}/s)`,
);

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] }),
);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
class Reader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }));
const traced = await server(true);
const sdk = await compare(plain, traced, () => exporter.reset());
console.log(
  `SDK registered, every span recorded: ${pct(sdk.ratio)} of the untraced calls per CPU second (rounds: ${pct(sdk.min)}–${pct(sdk.max)}; ${Math.round(sdk.base)} vs ${Math.round(sdk.other)}/s)`,
);
await Promise.all([plain.close(), noSdk.close(), traced.close()]);
