import type { Logger } from "../logger.js";
import type { Envelope } from "../protocol/envelope.js";
import type { JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { ParamHeader } from "../protocol/param-header.js";
import type { FastMCP } from "../server.js";
import type { Bus } from "../state/bus.js";
import type { SessionStore } from "../state/session.js";
import type { TransportHost } from "../transports/host.js";

/** One loaded version of the user's server under `fastmcp-ts dev`. */
export interface Generation {
  /** 1 for the first load, then one more per reload attempt. */
  readonly number: number;
  readonly server: FastMCP;
  /** What its transports would see of it (from the dev hook, at construction). */
  readonly host: TransportHost;
  /** Lets the file's own `await mcp.run()` return, when it called it. */
  readonly release: () => void;
  /** Messages it is handling now. */
  inFlight: number;
  /** Called each time `inFlight` drops to zero (set once the generation is retired). */
  onIdle: (() => void) | undefined;
}

/**
 * The host behind the one HTTP endpoint `fastmcp-ts dev` keeps for its
 * whole run. The endpoint (its GET streams, resumable replies, sessions'
 * listeners) never changes; each message goes to the generation that is
 * current when it arrives, and a request keeps running in the generation
 * that took it, so a reload cuts nothing short. Sessions and the bus are the
 * ones every generation shares (the dev hook gave them at construction).
 */
export class DevHost implements TransportHost {
  #current: Generation;
  /** Generations not yet closed: the current one and those finishing their requests. */
  readonly #live = new Set<Generation>();
  readonly #sessionEndListeners: ((sessionId: string) => void)[] = [];
  /** Fixed at the first generation: the endpoint's GET streams subscribe to it once. */
  readonly bus: Bus;

  constructor(first: Generation) {
    this.#current = first;
    this.#live.add(first);
    this.bus = first.host.bus;
    // Sessions the store expires by itself end here too (their GET streams close).
    first.host.sessions.onExpire?.((id) => this.#sessionEnded(id));
  }

  get current(): Generation {
    return this.#current;
  }

  /** Serves from `next` from now on; returns the generation it replaces. */
  swap(next: Generation): Generation {
    const previous = this.#current;
    this.#current = next;
    this.#live.add(next);
    return previous;
  }

  /** The generations not yet closed. */
  generations(): Generation[] {
    return [...this.#live];
  }

  /** A closed generation hears nothing more. */
  forget(generation: Generation): void {
    this.#live.delete(generation);
  }

  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    const generation = this.#current;
    // A request that started before a reload runs in an older generation: its cancellation goes there too.
    if (isCancellation(message))
      for (const other of this.#live)
        if (other !== generation) other.host.handleMessage(message, envelope).catch(() => {});
    generation.inFlight++;
    const answer = generation.host.handleMessage(message, envelope);
    const settle = () => {
      generation.inFlight--;
      if (generation.inFlight === 0) generation.onIdle?.();
    };
    answer.then(settle, settle);
    return answer;
  }

  /** Read per request, so a generation with a store of its own is asked about its sessions. */
  get sessions(): SessionStore {
    return this.#current.host.sessions;
  }

  get logger(): Logger {
    return this.#current.host.logger;
  }

  get broadcastTopic(): string {
    return this.#current.host.broadcastTopic;
  }

  sessionTopic(sessionId: string): string {
    return this.#current.host.sessionTopic(sessionId);
  }

  async endSession(sessionId: string): Promise<void> {
    await this.#current.host.endSession(sessionId);
    this.#sessionEnded(sessionId);
  }

  onSessionEnd(listener: (sessionId: string) => void): void {
    this.#sessionEndListeners.push(listener);
  }

  paramHeaders(tool: string): readonly ParamHeader[] | undefined {
    return this.#current.host.paramHeaders(tool);
  }

  scopesFor(method: string, target: string): readonly string[] | undefined {
    return this.#current.host.scopesFor(method, target);
  }

  #sessionEnded(sessionId: string): void {
    for (const listener of this.#sessionEndListeners) listener(sessionId);
  }
}

function isCancellation(message: unknown): boolean {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { method?: unknown }).method === "notifications/cancelled"
  );
}
