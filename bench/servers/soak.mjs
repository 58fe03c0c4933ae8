// The soak's server (`npm run bench -- --soak`): the zod server's `add`, plus
// `slow`, which reports progress step by step so the harness can cancel it or
// drop its stream mid-way, and a resource sessions subscribe to. Legacy
// sessions end after SESSION_IDLE_MS without a request (a few seconds, so
// abandoned sessions expire during the run); no jsonResponse, so a call with a
// progress token is answered as an SSE stream whose events go to the
// in-memory event store. The event and subscription stores are the defaults,
// made here only so what they hold can be reported.
import { z } from "zod";
import { FastMCP, MemoryEventStore, MemorySubscriptionStore } from "../../dist/index.js";
import { ADD_DESCRIPTION, announce, env, gcOnSignal, PROGRESS_STEPS } from "./common.mjs";
import { addInput, addOutput } from "./tools.mjs";

const NOTE = "soak://note";
const eventStore = new MemoryEventStore();
const subscriptionStore = new MemorySubscriptionStore();
const mcp = new FastMCP("soak", {
  http: { sessionIdleTimeoutMs: Number(process.env.SESSION_IDLE_MS ?? 3000), eventStore },
  subscriptionStore,
});

mcp.resource(NOTE, { name: "note", description: "A note sessions subscribe to." }, () => "a note");

mcp.tool(
  "add",
  { description: ADD_DESCRIPTION, input: addInput, output: z.object(addOutput) },
  async ({ a, b }, ctx) => {
    for (let step = 1; step <= PROGRESS_STEPS; step++)
      await ctx.reportProgress(step, PROGRESS_STEPS);
    return { sum: a + b };
  },
);

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

mcp.tool(
  "slow",
  {
    description: "Reports progress `steps` times, `ms` apart, then answers; stops when cancelled.",
    input: { steps: z.number().int().min(1).max(100), ms: z.number().int().min(0).max(1000) },
    output: z.object({ steps: z.number() }),
  },
  async ({ steps, ms }, ctx) => {
    for (let step = 1; step <= steps; step++) {
      await ctx.reportProgress(step, steps);
      await sleep(ms, ctx.signal);
    }
    return { steps };
  },
);

// After each forced collection: the heap, and what the server holds that a leak would grow.
gcOnSignal(() => {
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  void Promise.all([mcp.sessions.size(), subscriptionStore.sessions(NOTE)]).then(
    ([sessions, { length: subscribers }]) => {
      const streams = eventStore.streamCount;
      const report = { heapUsed, external, arrayBuffers, sessions, streams, subscribers };
      process.stderr.write(`memory ${JSON.stringify(report)}\n`);
    },
  );
});
await mcp.run({
  transport: "streamable-http",
  port: env.port,
  logLevel: "error",
  onListening: ({ port }) => announce(port),
});
