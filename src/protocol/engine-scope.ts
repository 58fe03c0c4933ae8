import type { Envelope } from "./envelope.js";
import type { LazyAbort } from "./lazy-abort.js";
import type { RequestScope } from "./scope.js";
import type { RequestTrace } from "./telemetry.js";

/** The scope handlers see: the public one plus the envelope it came in. */
export interface InternalScope extends RequestScope {
  readonly envelope: Envelope;
  /** The request's trace, when telemetry records it (`Telemetry.startRequest`). */
  readonly trace?: RequestTrace | undefined;
}

/** The request's trace, when telemetry records it: handlers take the public scope type. */
export function traceOf(scope: RequestScope): RequestTrace | undefined {
  return (scope as InternalScope).trace;
}

/**
 * One request's scope. A class, not an object literal: `signal` is a getter
 * (the AbortController is made only when read), and V8 builds literals with
 * accessors slowly and straight into old space, which under load shows up as
 * frequent full garbage collections.
 */
export class EngineScope implements InternalScope {
  readonly id: InternalScope["id"];
  readonly method: InternalScope["method"];
  readonly params: InternalScope["params"];
  readonly era: InternalScope["era"];
  readonly protocolVersion: InternalScope["protocolVersion"];
  readonly clientInfo: InternalScope["clientInfo"];
  readonly clientCapabilities: InternalScope["clientCapabilities"];
  readonly minLogRank: InternalScope["minLogRank"];
  readonly progressToken: InternalScope["progressToken"];
  readonly session: InternalScope["session"];
  readonly http: InternalScope["http"];
  readonly auth: InternalScope["auth"];
  readonly notify: InternalScope["notify"];
  readonly envelope: InternalScope["envelope"];
  readonly input: InternalScope["input"];
  readonly readResource: InternalScope["readResource"];
  readonly closeSSEStream: InternalScope["closeSSEStream"];
  trace: RequestTrace | undefined = undefined;
  readonly #abort: LazyAbort;

  constructor(abort: LazyAbort, fields: Omit<InternalScope, "signal" | "waitUntil">) {
    this.#abort = abort;
    // One by one, not Object.assign: the object keeps a small in-object layout.
    this.id = fields.id;
    this.method = fields.method;
    this.params = fields.params;
    this.era = fields.era;
    this.protocolVersion = fields.protocolVersion;
    this.clientInfo = fields.clientInfo;
    this.clientCapabilities = fields.clientCapabilities;
    this.minLogRank = fields.minLogRank;
    this.progressToken = fields.progressToken;
    this.session = fields.session;
    this.http = fields.http;
    this.auth = fields.auth;
    this.notify = fields.notify;
    this.envelope = fields.envelope;
    this.input = fields.input;
    this.readResource = fields.readResource;
    this.closeSSEStream = fields.closeSSEStream;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Attaches the request's trace; asks to the client become spans of it. */
  traced(trace: RequestTrace): void {
    this.trace = trace;
    if (this.input) (this as { input: InternalScope["input"] }).input = trace.channel(this.input);
  }

  // A getter, not a field: nothing to copy for the requests (all but a task's) that never read it.
  get waitUntil(): InternalScope["waitUntil"] {
    return this.envelope.waitUntil;
  }
}
