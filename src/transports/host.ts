import type { Logger } from "../logger.js";
import type { Envelope } from "../protocol/envelope.js";
import type { JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { ParamHeader } from "../protocol/param-header.js";
import type { Telemetry } from "../protocol/telemetry.js";
import type { Bus } from "../state/bus.js";
import type { SessionStore } from "../state/session.js";

/**
 * What any transport needs of the server it carries messages for. Transports
 * know this interface, never the server class: stdio, in-memory channels and
 * Streamable HTTP all serve a host, and the server builds one for them
 * (`server/host.ts`).
 */
export interface TransportHost {
  /** Hands one JSON-RPC message to the engine; resolves with the response, if any. */
  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined>;
  /** Where legacy sessions live; transports remember only a session's id. */
  readonly sessions: SessionStore;
  readonly bus: Bus;
  /** The server's own diagnostics (never protocol messages). */
  readonly logger: Logger;
  /** The bus topic every session hears (`list_changed`). */
  readonly broadcastTopic: string;
  /** The bus topic for what reaches one legacy session alone. */
  sessionTopic(sessionId: string): string;
  /** Ends a legacy session everywhere: store, streams, subscriptions. */
  endSession(sessionId: string): Promise<void>;
  /** Called for every session that ends, by a transport or by idle expiry. */
  onSessionEnd(listener: (sessionId: string) => void): void;
  /** The `x-mcp-header` arguments of a tool, or undefined when there is no such tool. */
  paramHeaders(tool: string): readonly ParamHeader[] | undefined;
  /** Tracing (the server's `telemetry` option), for what transports do before the engine. */
  readonly telemetry?: Telemetry | undefined;
  /** The OAuth scopes a method's target needs (`scopes` of a tool, prompt or resource), if any. */
  scopesFor(method: string, target: string): readonly string[] | undefined;
}
