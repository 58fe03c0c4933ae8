import type { InputMethod } from "./input-channel.js";

/** One request for client input, as 2026-07-28 puts it in `inputRequests`. */
export interface InputRequest {
  method: InputMethod;
  params?: Record<string, unknown>;
}

export interface InputRequiredSpec {
  /** The requests for the client to fulfil before it retries, by keys you choose. */
  inputRequests?: Readonly<Record<string, InputRequest>>;
  /**
   * Anything JSON-serializable to have back on the retry as `ctx.inputState`.
   * The server seals it into `requestState`: the client can neither read nor change it.
   */
  state?: unknown;
}

const METHODS: ReadonlySet<string> = new Set([
  "elicitation/create",
  "sampling/createMessage",
  "roots/list",
]);

/**
 * The explicit form of a multi round-trip request (2026-07-28): return (or
 * throw) one from a tool, prompt or resource handler to answer with an
 * `input_required` result. The retry carries the client's answers in
 * `ctx.inputResponses` and your `state` in `ctx.inputState`. Most handlers
 * never need it: `ctx.elicit`, `ctx.sample` and `ctx.listRoots` do the same
 * in both eras. Legacy-era requests cannot carry it, and fail with its message.
 */
export class InputRequired extends Error {
  override readonly name = "InputRequired";
  readonly inputRequests: Readonly<Record<string, InputRequest>>;
  readonly state: unknown;

  constructor(spec: InputRequiredSpec = {}) {
    super(
      "The handler answered with an input_required result, which only 2026-07-28 requests can " +
        "carry; ctx.elicit, ctx.sample and ctx.listRoots ask the client in every protocol era",
    );
    const requests = spec.inputRequests ?? {};
    for (const [key, request] of Object.entries(requests)) {
      if (key.length === 0)
        throw new TypeError("inputRequired: input request keys must not be empty");
      if (!METHODS.has(request?.method)) {
        throw new TypeError(
          `inputRequired: input request "${key}" must have method elicitation/create, sampling/createMessage or roots/list`,
        );
      }
    }
    this.inputRequests = requests;
    this.state = spec.state;
  }
}

/** Builds an `InputRequired` (see there): `return inputRequired({ inputRequests, state })`. */
export function inputRequired(spec: InputRequiredSpec = {}): InputRequired {
  return new InputRequired(spec);
}
