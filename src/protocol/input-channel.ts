/** The requests a server may put to its client while it serves one of the client's requests. */
export type InputMethod = "elicitation/create" | "sampling/createMessage" | "roots/list";

export interface AskOptions {
  /** Legacy era: how long to wait for the client's answer. Default: the server's `clientRequestTimeoutMs`. */
  timeoutMs?: number;
}

/** One reserved ask: its place in the handler's sequence of asks. */
export interface AskSlot {
  /** Asks the client; resolves with the client's raw result object. */
  ask(
    method: InputMethod,
    params: Record<string, unknown> | undefined,
    options?: AskOptions,
  ): Promise<Record<string, unknown>>;
  /** Called when the ask ends without `ask()` (it failed before asking); harmless after `ask()`. */
  release(): void;
}

/**
 * How `ctx.elicit`, `ctx.sample` and `ctx.listRoots` reach the client, the
 * same for handlers in both eras: a server-to-client JSON-RPC request
 * (legacy), or a round of a multi round-trip request (2026-07-28), where an
 * ask already answered in an earlier round is answered from `requestState`.
 */
export interface InputChannel {
  /**
   * Reserves the next ask's place. Call it synchronously when the ask starts,
   * before any `await`, so that asks made in parallel keep the same order in
   * every round.
   */
  reserve(): AskSlot;
  /** 2026-07-28: the `inputResponses` the client sent with this retry, as sent. */
  readonly responses?: Readonly<Record<string, unknown>> | undefined;
  /** 2026-07-28: the `state` the handler put in an explicit `inputRequired()` last round. */
  readonly state?: unknown;
  /** Why no ask can get an answer over this carrier, when none can. */
  readonly unavailable?: string | undefined;
}

/**
 * A channel for carriers that cannot bring the client's answer back (legacy
 * requests over stateless HTTP: the answer would arrive on another POST with
 * nothing to tie it to this one). Every ask fails at once with `reason`.
 */
export function unavailableChannel(reason: string): InputChannel {
  return {
    unavailable: reason,
    reserve: () => ({
      ask: (method) => Promise.reject(new Error(`Cannot ask the client (${method}): ${reason}`)),
      release: () => {},
    }),
  };
}
