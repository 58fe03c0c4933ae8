/**
 * fastmcp-ts/otel: OpenTelemetry traces and metrics for a server. Its own
 * entry point, so `@opentelemetry/api` (an optional peer dependency) is
 * loaded only by servers that ask for it.
 */
export type {
  BackEnd,
  RequestTrace,
  RoundTrip,
  RoundTripTracer,
  TaskOutcome,
  TaskTrace,
  Telemetry,
  TracedStore,
  TraceValue,
} from "../protocol/telemetry.js";
export { INSTRUMENTATION_NAME, type OpenTelemetryOptions, openTelemetry } from "./telemetry.js";
