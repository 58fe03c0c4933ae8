/**
 * Resource subscriptions: the twin of the guide's `live://metrics`.
 *
 * The framework handles subscriptions: clients subscribe (`resources/subscribe`
 * up to 2025-11-25, `subscriptions/listen` in 2026-07-28), and
 * `mcp.notifyResourceUpdated(uri)` tells every subscriber of that URI, and
 * nobody else, that it changed. With a shared bus and subscription store
 * (Redis), a change on any process reaches subscribers on every process.
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

let metrics = { requests: 0, errors: 0, updatedAt: new Date(0).toISOString() };

function currentMetrics() {
  return metrics;
}

function calculateMetrics() {
  return {
    requests: metrics.requests + 10,
    errors: metrics.errors + (metrics.requests % 30 === 0 ? 1 : 0),
    updatedAt: new Date().toISOString(),
  };
}

mcp.resource(
  "live://metrics",
  { description: "Get current metrics (supports subscriptions).", mimeType: "application/json" },
  () => JSON.stringify(currentMetrics()),
);

/** Updates the metrics, then notifies every subscriber. */
export async function updateMetrics(): Promise<void> {
  metrics = calculateMetrics();
  await mcp.notifyResourceUpdated("live://metrics");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  setInterval(() => void updateMetrics(), 5000).unref();
  await mcp.run();
}
