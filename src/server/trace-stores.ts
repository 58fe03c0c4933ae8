import type { ServerOptions } from "../options.js";
import type { Telemetry, TracedStore } from "../protocol/telemetry.js";

/**
 * Hands the server's telemetry to the stores it was given that report
 * their round trips (`fastmcp-ts/redis`'s), once, at construction. A server
 * without telemetry hands nothing: its stores' commands cost one branch.
 */
export function traceStores(telemetry: Telemetry | undefined, options: ServerOptions): void {
  if (telemetry?.roundTrips === undefined) return;
  const { sessionStore, bus, subscriptionStore, eventStore, taskStore } = options;
  for (const store of [sessionStore, bus, subscriptionStore, eventStore, taskStore]) {
    if (isTraced(store)) store.traceRoundTrips(telemetry);
  }
}

function isTraced(store: unknown): store is TracedStore {
  return (
    typeof store === "object" &&
    store !== null &&
    typeof (store as Partial<TracedStore>).traceRoundTrips === "function"
  );
}
