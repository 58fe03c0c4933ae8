import { ClientRequestError, REQUEST_TIMEOUT } from "../input/errors.js";
import type { Logger } from "../logger.js";
import { type Bus, topics } from "../state/bus.js";
import { clip } from "../util/echo.js";
import { serial, uniqueTag } from "../util/unique-tag.js";
import type { AskOptions, AskSlot, InputChannel, InputMethod } from "./input-channel.js";
import { ErrorCode } from "./jsonrpc.js";
import { isRecord } from "./meta.js";
import type { Outbound } from "./scope.js";

interface Pending {
  readonly method: string;
  /** The session (or channel) the request went to: only it may answer. */
  readonly owner: string;
  settle(message: Record<string, unknown>): void;
}

export interface OutgoingRequestOptions {
  readonly timeoutMs: number;
  /** The asking request's signal: aborting it withdraws the request. */
  readonly signal: AbortSignal;
}

/**
 * Legacy-era server-to-client requests (`elicitation/create`,
 * `sampling/createMessage`, `roots/list`): sends them through the asking
 * request's outbound channel and routes the client's response, which may
 * arrive on any channel of the same session (over HTTP, in a separate POST),
 * back to the waiting handler.
 *
 * Ids are `fastmcp-<process tag>-<n>`, unique per process and, through the
 * random tag, across processes: a response that reaches a process that did
 * not ask is forwarded on the bus to the one that did.
 */
export class OutgoingRequests {
  readonly #tag = uniqueTag();
  readonly #pending = new Map<string, Pending>();
  readonly #bus: Bus;
  readonly #logger: Logger;
  #counter = 0;
  #listening: Promise<() => Promise<void>> | undefined;

  constructor(bus: Bus, logger: Logger) {
    this.#bus = bus;
    this.#logger = logger;
  }

  /** An input channel for one legacy request: asks go out through `outbound`, answers come back from `owner`. */
  channel(
    outbound: Outbound,
    owner: string,
    /** The asking request's abort (its signal is made only if an ask needs it). */
    abort: { readonly signal: AbortSignal },
    defaultTimeoutMs: number,
  ): InputChannel {
    return new LegacyChannel(this, outbound, owner, abort, defaultTimeoutMs);
  }

  async request(
    outbound: Outbound,
    owner: string,
    method: string,
    params: Record<string, unknown> | undefined,
    options: OutgoingRequestOptions,
  ): Promise<Record<string, unknown>> {
    const { signal, timeoutMs } = options;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
      throw new TypeError(`timeoutMs must be a positive integer of milliseconds, got ${timeoutMs}`);
    }
    signal.throwIfAborted();
    await this.#listen();
    signal.throwIfAborted();
    this.#counter += 1;
    const id = outgoingId(this.#tag, this.#counter);
    return new Promise((resolve, reject) => {
      const done = () => {
        this.#pending.delete(id);
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
      };
      // The client is told to stop working on a request nobody waits for any more.
      const withdraw = (reason: string) => {
        void Promise.resolve(
          outbound.send({
            jsonrpc: "2.0",
            method: "notifications/cancelled",
            params: { requestId: id, reason },
          }),
        ).catch(() => undefined);
      };
      const onAbort = () => {
        done();
        withdraw(reasonText(signal.reason));
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        done();
        withdraw(`No answer within ${timeoutMs} ms`);
        reject(
          new ClientRequestError(
            method,
            REQUEST_TIMEOUT,
            `The client did not answer ${method} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, {
        method,
        owner,
        settle: (message) => {
          done();
          const outcome = outcomeOf(method, message);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      });
      const request =
        params === undefined
          ? { jsonrpc: "2.0", id, method }
          : { jsonrpc: "2.0", id, method, params };
      Promise.resolve(outbound.send(request)).catch((error: unknown) => {
        if (!this.#pending.has(id)) return;
        done();
        reject(
          new ClientRequestError(
            method,
            ErrorCode.InternalError,
            `Could not send ${method} to the client: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      });
    });
  }

  /**
   * A JSON-RPC response from the client. Settles the waiting ask here, or
   * forwards the response to the process whose tag its id carries.
   */
  async settle(message: Record<string, unknown>, owner: string): Promise<void> {
    const id = message.id;
    if (typeof id !== "string") return;
    if (this.#pending.has(id)) return this.#deliver(id, message, owner);
    const tag = tagOf(id);
    if (tag === undefined || tag === this.#tag) {
      this.#logger.debug(`Ignoring a response to an unknown or finished request ${id}`);
      return;
    }
    await this.#bus.publish(topics.replies(tag), { owner, message });
  }

  #deliver(id: string, message: Record<string, unknown>, owner: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    if (pending.owner !== owner) {
      this.#logger.warn(`Ignoring a response to ${pending.method} ${id} from another session`);
      return;
    }
    pending.settle(message);
  }

  /** Subscribes once to this process's reply topic, so answers that land elsewhere find their way here. */
  #listen(): Promise<unknown> {
    this.#listening ??= this.#bus
      .subscribe(topics.replies(this.#tag), (forwarded) => {
        if (!isRecord(forwarded) || !isRecord(forwarded.message)) return;
        const { message, owner } = forwarded;
        if (typeof message.id === "string" && typeof owner === "string") {
          this.#deliver(message.id, message, owner);
        }
      })
      .catch((error: unknown) => {
        this.#listening = undefined; // the next ask tries again
        throw error;
      });
    return this.#listening;
  }

  /** Stops listening for forwarded answers (server shutdown). Waiting asks end with their requests. */
  async close(): Promise<void> {
    const listening = this.#listening;
    this.#listening = undefined;
    if (listening) await (await listening)();
  }
}

/** One object per legacy request, its methods shared: it is both the channel and every slot. */
class LegacyChannel implements InputChannel, AskSlot {
  constructor(
    private readonly requests: OutgoingRequests,
    private readonly outbound: Outbound,
    private readonly owner: string,
    private readonly abort: { readonly signal: AbortSignal },
    private readonly defaultTimeoutMs: number,
  ) {}

  reserve(): AskSlot {
    return this; // legacy asks need no place: each is its own request
  }

  ask(
    method: InputMethod,
    params: Record<string, unknown> | undefined,
    options?: AskOptions,
  ): Promise<Record<string, unknown>> {
    return this.requests.request(this.outbound, this.owner, method, params, {
      timeoutMs: options?.timeoutMs ?? this.defaultTimeoutMs,
      signal: this.abort.signal,
    });
  }

  release(): void {}
}

function outcomeOf(
  method: string,
  message: Record<string, unknown>,
): Record<string, unknown> | Error {
  if (isRecord(message.result)) return message.result;
  const error = message.error;
  if (isRecord(error)) {
    const code = typeof error.code === "number" ? error.code : ErrorCode.InternalError;
    // The client's words, repeated to the handler and maybe on to the client: cut short if long.
    const text = typeof error.message === "string" ? clip(error.message, 500) : "no message";
    return new ClientRequestError(
      method,
      code,
      `The client answered ${method} with error ${code}: ${text}`,
      error.data,
    );
  }
  return new ClientRequestError(
    method,
    ErrorCode.InvalidRequest,
    `The client's response to ${method} has neither a result object nor an error`,
  );
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === "string" ? reason : "Cancelled";
}

/** The id of a server-to-client request: this process's tag, then a counter (`serial`). */
function outgoingId(tag: string, count: number): string {
  return `fastmcp-${tag}-${serial(count)}`;
}

/** The tag of the process that sent a request `outgoingId` made; undefined for other ids. */
function tagOf(id: string): string | undefined {
  return /^fastmcp-([0-9a-f]+)-[0-9a-z]+$/.exec(id)?.[1];
}
