import type { Logger } from "../logger.js";
import type { Engine } from "../protocol/engine.js";
import type { Envelope } from "../protocol/envelope.js";
import type { JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { ParamHeader } from "../protocol/param-header.js";
import type { Telemetry } from "../protocol/telemetry.js";
import { type Bus, topics } from "../state/bus.js";
import type { SessionStore } from "../state/session.js";
import type { TransportHost } from "../transports/host.js";
import type { MutableCore } from "./core.js";
import type { Lifecycle } from "./lifecycle.js";

/**
 * What transports see of a server (`TransportHost`): the engine behind a
 * start-on-first-use gate, the stores and bus, and session endings.
 */
export class ServerHost implements TransportHost {
  readonly #core: MutableCore;
  readonly #engine: Engine;
  readonly #lifecycle: Lifecycle;
  readonly #sessionEndListeners: ((sessionId: string) => void)[] = [];
  readonly broadcastTopic: string;

  constructor(core: MutableCore, engine: Engine, lifecycle: Lifecycle) {
    this.#core = core;
    this.#engine = engine;
    this.#lifecycle = lifecycle;
    this.broadcastTopic = topics.broadcast(core.busPrefix);
    // Sessions that expire in the store end like those a transport ends.
    core.sessions.onExpire?.((id) => this.#sessionEnded(id));
  }

  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    // Not async: a running server hands the engine's promise straight back (one frame less per message).
    if (this.#lifecycle.running) return this.#engine.handle(message, envelope);
    return this.#lifecycle.start().then(() => this.#engine.handle(message, envelope));
  }

  get telemetry(): Telemetry | undefined {
    return this.#core.telemetry;
  }

  get sessions(): SessionStore {
    return this.#core.sessions;
  }

  get bus(): Bus {
    return this.#core.bus;
  }

  /** The current logger: `run()` may replace it for its log level. */
  get logger(): Logger {
    return this.#core.logger;
  }

  sessionTopic(sessionId: string): string {
    return topics.session(this.#core.busPrefix, sessionId);
  }

  async endSession(sessionId: string): Promise<void> {
    await this.#core.sessions.delete(sessionId);
    this.#sessionEnded(sessionId);
  }

  onSessionEnd(listener: (sessionId: string) => void): void {
    this.#sessionEndListeners.push(listener);
  }

  paramHeaders(tool: string): readonly ParamHeader[] | undefined {
    return this.#core.tools.get(tool)?.paramHeaders;
  }

  scopesFor(method: string, target: string): readonly string[] | undefined {
    return this.#core.scopesFor(method, target);
  }

  #sessionEnded(sessionId: string): void {
    this.#core.telemetry?.sessionEnded(sessionId);
    // A request still running for the session has nobody left to answer to.
    this.#engine.abortChannel(sessionId, new Error("The session ended"));
    for (const listener of this.#sessionEndListeners) listener(sessionId);
  }
}
