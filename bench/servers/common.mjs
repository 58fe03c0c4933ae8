// What every benchmarked server serves, in one place so they stay the same:
// `add(a, b)` with an output schema and, with TOOLS=51, fifty more tools.
// Servers are plain ESM run by node as-is: no transpile step in cold start,
// and the peers' packages live only in bench/node_modules. No zod here: the
// bare ceiling loads none (the schemas are in tools.mjs).

export const env = {
  port: Number(process.env.PORT ?? 0),
  /** 1 or 51 */
  tools: Number(process.env.TOOLS ?? 1),
  /** "http" or "stdio" */
  transport: process.env.TRANSPORT ?? "http",
  /** Stateful legacy sessions instead of stateless serving. */
  stateful: process.env.STATEFUL === "1",
  /** "json": JSON responses only; "sse": a call may stream (progress before its result). */
  response: process.env.RESPONSE ?? "json",
};

export const ADD_DESCRIPTION = "Add two numbers.";

/** Names and descriptions of the fifty extra tools (with TOOLS=51). */
export const extraToolNames = Array.from({ length: Math.max(0, env.tools - 1) }, (_, i) => ({
  name: `tool_${String(i + 1).padStart(2, "0")}`,
  description: `Extra tool number ${i + 1}: echoes its text a number of times.`,
}));

/** How many progress notifications a call with a progress token sends before its result. */
export const PROGRESS_STEPS = 2;

/**
 * Lets the harness collect garbage before reading RSS (only under --expose-gc).
 * `afterGc`, if given, runs right after each collection (the soak server
 * reports its heap there).
 */
export function gcOnSignal(afterGc) {
  if (typeof globalThis.gc !== "function") return;
  process.on("SIGUSR2", () => {
    globalThis.gc();
    globalThis.gc();
    afterGc?.();
  });
}

/** Writes the heap after a collection (`gcOnSignal(reportHeap)`), for harnesses that read it. */
export function reportHeap() {
  const { heapUsed, external } = process.memoryUsage();
  process.stderr.write(`memory ${JSON.stringify({ heapUsed, external })}\n`);
}

/**
 * The arrival deadlines a harness asks for (HEADERS_TIMEOUT_MS, BODY_TIMEOUT_MS),
 * as `run()` options; none when unset, so the server runs with the defaults.
 */
export function deadlines() {
  const out = {};
  if (process.env.HEADERS_TIMEOUT_MS) out.headersTimeoutMs = Number(process.env.HEADERS_TIMEOUT_MS);
  if (process.env.BODY_TIMEOUT_MS) out.bodyTimeoutMs = Number(process.env.BODY_TIMEOUT_MS);
  return out;
}

/** Where an HTTP server listens: the harness reads this line. */
export function announce(port) {
  if (env.transport === "http") process.stderr.write(`listening ${port}\n`);
}
