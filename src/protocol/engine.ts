import type { ServerCore } from "../core.js";
import { type LiveEntry, LiveList } from "../util/live-list.js";
import type { EngineScope, InternalScope } from "./engine-scope.js";
import type { Envelope } from "./envelope.js";
import { methodNotFound } from "./errors.js";
import type { InputChannel } from "./input-channel.js";
import {
  ErrorCode,
  errorResponse,
  isRequestId,
  type JsonRpcResponse,
  type RequestId,
  resultResponse,
} from "./jsonrpc.js";
import { LazyAbort } from "./lazy-abort.js";
import { isRecord } from "./meta.js";
import { compose, type Dispatch, type Middleware, type Result } from "./middleware.js";
import { ModernResultDecorator } from "./modern-result.js";
import {
  INPUT_REQUIRED_METHODS,
  InputRound,
  principalOf,
  RoundEnded,
  type RoundSettings,
} from "./mrtr.js";
import { OutgoingRequests } from "./outgoing.js";
import { Cancelled, failureResponse } from "./request-failure.js";
import { RequestStateSealer, randomSecret } from "./request-state.js";
import { ScopeBuilder } from "./scope-builder.js";
import type { RequestTrace, Telemetry } from "./telemetry.js";
import type { Era } from "./versions.js";

/** How one method is served: in which eras, and whether its results carry cache hints (modern). */
export interface MethodSpec {
  readonly eras: readonly Era[];
  readonly cacheable?: boolean;
  readonly handler: (scope: InternalScope) => Result | Promise<Result>;
}

export type MethodTable = ReadonlyMap<string, MethodSpec>;

/** A request between its arrival and its answer: what `notifications/cancelled` and shutdown look for. */
interface RunningRequest {
  readonly channelId: string;
  readonly id: RequestId;
  readonly controller: LazyAbort;
}

/**
 * The sans-IO protocol engine: takes one parsed JSON-RPC message and its
 * envelope, returns the response (if any). Notifications tied to a request go
 * out through the envelope's outbound channel while the request runs.
 */
export class Engine {
  readonly #core: ServerCore;
  readonly #methods: MethodTable;
  /** A list, not a Map keyed by channel and id: see `LiveList` (cancellations search it). */
  readonly #running = new LiveList<RunningRequest>();
  /** How many of the running requests are `subscriptions/listen` streams. */
  #listening = 0;
  #dispatch: Dispatch;
  readonly #middleware: Middleware[] = [];
  /** Legacy server-to-client requests waiting for the client's response. */
  readonly #outgoing: OutgoingRequests;
  readonly #rounds: RoundSettings;
  #sealer: RequestStateSealer | undefined;
  /** One abort listener per carrier signal (an HTTP response, a connection), whatever its requests. */
  readonly #carriers = new WeakMap<AbortSignal, LiveList<LazyAbort>>();
  readonly #scopes: ScopeBuilder;
  readonly #modern: ModernResultDecorator;
  readonly #telemetry: Telemetry | undefined;

  constructor(core: ServerCore, methods: MethodTable) {
    this.#core = core;
    this.#methods = methods;
    this.#dispatch = this.#invoke;
    this.#outgoing = new OutgoingRequests(core.bus, core.logger);
    this.#scopes = new ScopeBuilder(core, this.#outgoing);
    this.#modern = new ModernResultDecorator(core);
    this.#telemetry = core.telemetry;
    const { secret, ttlMs } = core.settings.requestState;
    // A given secret is checked now, so a bad one fails at startup, not at the first round.
    if (secret !== undefined) this.#sealer = new RequestStateSealer(secret);
    this.#rounds = { sealer: () => this.#requestStateSealer(), ttlMs };
  }

  #requestStateSealer(): RequestStateSealer {
    if (!this.#sealer) {
      this.#core.logger.info(
        "No requestStateSecret (or FASTMCP_REQUEST_STATE_SECRET) set: sealing 2026-07-28 " +
          "requestState with a random per-process key. Multi-process deployments need one shared secret.",
      );
      this.#sealer = new RequestStateSealer(randomSecret());
    }
    return this.#sealer;
  }

  use(middleware: Middleware): void {
    this.#middleware.push(middleware);
    this.#dispatch = compose(this.#middleware, this.#invoke);
  }

  /** Requests currently running (for graceful shutdown and tests). */
  get inFlightCount(): number {
    return this.#running.size;
  }

  /**
   * Waits until no request is running, or aborts the rest after `timeoutMs`.
   * Long-lived `subscriptions/listen` streams do not hold shutdown up.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#running.size > this.#listening && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.abortAll(new Error("Server is shutting down"));
  }

  /** Aborts every running request, e.g. on shutdown. */
  abortAll(reason: unknown): void {
    for (const request of this.#running) request.controller.abort(reason);
  }

  /**
   * Aborts the running requests of one channel: a legacy HTTP session's
   * (its channel is the session id) when the session ends, here or on
   * another process, so what waits on it (an ask, a stream) stops.
   */
  abortChannel(channelId: string, reason: unknown): void {
    for (const request of this.#running)
      if (request.channelId === channelId) request.controller.abort(reason);
  }

  /** Releases what the engine holds beyond requests (the bus subscription for forwarded responses). */
  async close(): Promise<void> {
    await this.#outgoing.close();
  }

  /**
   * Handles one message that is already JSON-parsed. Never throws: every
   * failure becomes an error response (or nothing, for notifications).
   */
  handle(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    // A well-formed request goes straight to #request, whose promise is the
    // request's only one: not async, since every async frame costs a promise
    // and microtask turns per request, and a tracing SDK's context manager
    // pays a hook on each (docs/observability.md, "Cost").
    if (isRecord(message) && message.jsonrpc === "2.0" && typeof message.method === "string") {
      const { id, params } = message;
      if (isRequestId(id) && (params === undefined || isRecord(params)))
        return this.#request(id, message.method, params ?? {}, envelope);
    }
    return this.#handleOther(message, envelope);
  }

  /** Everything else: a client's response, a notification, or a malformed message. */
  async #handleOther(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    if (!isRecord(message)) {
      return errorResponse(
        null,
        ErrorCode.InvalidRequest,
        Array.isArray(message)
          ? "Invalid request: JSON-RPC batches are not supported; send one message at a time"
          : "Invalid request: expected a JSON-RPC message object",
      );
    }
    const id = message.id;
    const hasId = "id" in message && id !== undefined;
    if (message.jsonrpc !== "2.0") {
      return errorResponse(
        hasId && isRequestId(id) ? id : null,
        ErrorCode.InvalidRequest,
        'Invalid request: "jsonrpc" must be "2.0"',
      );
    }
    if (typeof message.method !== "string") {
      if (hasId && ("result" in message || "error" in message)) {
        // The client's response to one of our requests; it may come on any channel of the session.
        await this.#outgoing.settle(message, envelope.sessionId ?? envelope.channelId);
        return undefined;
      }
      return errorResponse(
        hasId && isRequestId(id) ? id : null,
        ErrorCode.InvalidRequest,
        'Invalid request: "method" must be a string',
      );
    }
    if (!hasId) {
      await this.#notification(message.method, message.params, envelope);
      return undefined;
    }
    if (!isRequestId(id)) {
      return errorResponse(
        null,
        ErrorCode.InvalidRequest,
        'Invalid request: "id" must be a string or a number',
      );
    }
    // A request with a valid id and params went straight to #request (handle): what is left is its params.
    return errorResponse(id, ErrorCode.InvalidParams, 'Invalid params: "params" must be an object');
  }

  async #request(
    id: RequestId,
    method: string,
    params: Record<string, unknown>,
    envelope: Envelope,
  ): Promise<JsonRpcResponse | undefined> {
    const controller = new LazyAbort();
    let listening = false;
    let running: LiveEntry | undefined;
    let following: LiveEntry | undefined;
    let trace: RequestTrace | undefined;
    try {
      const pending = this.#scopes.scopeOf(id, method, params, envelope, controller);
      const scope = pending instanceof Promise ? await pending : pending;
      trace = this.#telemetry?.startRequest(scope);
      if (trace) (scope as EngineScope).traced(trace);
      const spec = this.#methods.get(method);
      if (!spec?.eras.includes(scope.era)) throw methodNotFound(method);
      running = this.#running.add({ channelId: envelope.channelId, id, controller });
      if (method === "subscriptions/listen") listening = true;
      if (listening) this.#listening++;
      if (envelope.signal) following = this.#follow(envelope.signal, controller);
      else envelope.onCarrierClose?.((reason) => controller.abort(reason));
      const result = await (trace ? trace.run(() => this.#dispatch(scope)) : this.#dispatch(scope));
      // A store that hands out copies keeps what the handler put in `ctx.session.state`.
      const save = this.#core.sessions.save;
      const session = scope.session;
      if (save && session) {
        // Under the request's span, so a shared store's write shows in its trace.
        const saving = () => save.call(this.#core.sessions, session);
        await (trace ? trace.run(saving) : saving());
      }
      if (controller.reason instanceof Cancelled) {
        trace?.end(undefined);
        return undefined;
      }
      // Work the handler left running in a round that ended is stopped.
      if (result.resultType === "input_required") controller.abort(new RoundEnded());
      const response = resultResponse(
        id,
        scope.era === "modern" ? this.#modern.decorate(result, spec.cacheable) : result,
      );
      trace?.end(response);
      return response;
    } catch (error) {
      const core = this.#core;
      const response = failureResponse(
        id,
        error,
        controller,
        core.logger,
        core.settings.maskErrorDetails,
      );
      trace?.end(response, error);
      return response;
    } finally {
      running?.remove();
      if (listening) this.#listening--;
      following?.remove();
    }
  }

  /** Aborts `controller` when the carrier's signal aborts. */
  #follow(carrier: AbortSignal, controller: LazyAbort): LiveEntry | undefined {
    if (carrier.aborted) {
      controller.abort(carrier.reason);
      return undefined;
    }
    let followers = this.#carriers.get(carrier);
    if (!followers) {
      const list = new LiveList<LazyAbort>();
      followers = list;
      this.#carriers.set(carrier, list);
      carrier.addEventListener(
        "abort",
        () => {
          for (const follower of list) follower.abort(carrier.reason);
        },
        { once: true },
      );
    }
    return followers.add(controller);
  }

  // Not async: every async frame and every promise returned from one costs a
  // promise and microtask turns per request, and a tracing SDK's context
  // manager pays a hook on each of them (docs/observability.md, "Cost").
  #invoke: Dispatch = (scope) => {
    try {
      const spec = this.#methods.get(scope.method) as MethodSpec;
      const internal = scope as InternalScope;
      if (scope.era !== "modern" || !INPUT_REQUIRED_METHODS.has(scope.method)) {
        return settled(spec.handler(internal));
      }
      // 2026-07-28: asks are rounds of this request, answered from its sealed requestState.
      const round = InputRound.open(
        scope.method,
        scope.params,
        principalOf(scope.auth),
        this.#rounds,
      );
      return round instanceof Promise
        ? round.then((opened) => inRound(opened, spec, internal))
        : inRound(round, spec, internal);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async #notification(method: string, params: unknown, envelope: Envelope): Promise<void> {
    const p = isRecord(params) ? params : {};
    switch (method) {
      case "notifications/cancelled": {
        const requestId = p.requestId;
        if (!isRequestId(requestId)) return;
        const channelId = envelope.channelId;
        const request = this.#running.find((r) => r.id === requestId && r.channelId === channelId);
        const reason = typeof p.reason === "string" ? p.reason : "Cancelled by the client";
        request?.controller.abort(new Cancelled(reason));
        return;
      }
      case "notifications/initialized": {
        if (envelope.sessionId === undefined) return;
        // The transport may have read the session already (HTTP did, to check it): no second read.
        const session = envelope.session ?? (await this.#core.sessions.get(envelope.sessionId));
        if (session && !session.initialized) {
          session.initialized = true;
          await this.#core.sessions.set(session);
        }
        return;
      }
      default:
        return; // unknown notifications are ignored, as JSON-RPC requires
    }
  }
}

/** A handler's result as a promise, without a second one when it already is. */
function settled(result: Result | Promise<Result>): Promise<Result> {
  return result instanceof Promise ? result : Promise.resolve(result);
}

/** Runs a 2026-07-28 handler in its round, the round's asks on the scope (traced if the request is). */
function inRound(round: InputRound, spec: MethodSpec, internal: InternalScope): Promise<Result> {
  (internal as { input?: InputChannel }).input = internal.trace
    ? internal.trace.channel(round)
    : round;
  return round.run(
    () => spec.handler(internal),
    internal.clientCapabilities,
    internal.protocolVersion,
  );
}
