import type { SessionRecord } from "../state/session.js";
import type { InputChannel } from "./input-channel.js";
import type { RequestId } from "./jsonrpc.js";
import type {
  ClientCapabilities,
  Implementation,
  ProgressToken,
  ReadResourceResult,
} from "./types.js";
import type { Era, ProtocolVersion } from "./versions.js";

/** The carrying HTTP request, as handlers may see it (credential headers withheld). */
export interface HttpInfo {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The address of the peer the request came from, as the runtime reports it
   * (an IPv4-mapped IPv6 address in its IPv4 form): behind a reverse proxy,
   * the proxy's. Undefined where the runtime does not say.
   */
  readonly remoteAddress?: string | undefined;
}

/** Sends messages back to the client over whatever carried the request. */
export interface Outbound {
  send(message: object): void | Promise<void>;
  /**
   * Ends the connection that carries this request's messages while the
   * request goes on, if the client can resume it elsewhere (legacy Streamable
   * HTTP with an event store: GET with `Last-Event-ID`). Resolves whether it did.
   */
  closeStream?(): Promise<boolean>;
}

/**
 * Everything the engine knows about one request: who asked, in which era and
 * version, and where its notifications go. Transports never see inside it.
 */
export interface RequestScope {
  readonly id: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly era: Era;
  readonly protocolVersion: ProtocolVersion;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  /** Messages below this rank are not sent (`Infinity`: none). */
  readonly minLogRank: number;
  readonly progressToken: ProgressToken | undefined;
  readonly session: SessionRecord | undefined;
  readonly http: HttpInfo | undefined;
  readonly auth: unknown;
  readonly signal: AbortSignal;
  /** Sends a notification tied to this request. */
  notify(method: string, params: Record<string, unknown>): Promise<void>;
  /** How the handler asks the client for input; absent where no client can be asked. */
  readonly input?: InputChannel | undefined;
  /** Reads one of this server's own resources as this request (`ctx.readResource`). */
  readResource(uri: string): Promise<ReadResourceResult>;
  /** Ends the request's resumable stream now (`ctx.closeSSEStream`); absent: there is none. */
  readonly closeSSEStream?: (() => Promise<boolean>) | undefined;
  /**
   * The runtime's `waitUntil`, where one was given to `mcp.fetch` (Workers):
   * work that outlives the response (a task's run) registers with it, or the
   * runtime stops it once the response is done.
   */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /** Turns the rest of this tools/call into a task (`ctx.runAsTask`); absent: it cannot become one. */
  readonly runAsTask?: (() => Promise<boolean>) | undefined;
}

/** A scope for calls made without a client (`mcp.callTool` in unit tests): nothing is sent anywhere. */
export function detachedScope(
  method: string,
  params: Record<string, unknown>,
  protocolVersion: ProtocolVersion,
  reader: (uri: string, scope: RequestScope) => Promise<ReadResourceResult>,
): RequestScope {
  return new DetachedScope(method, params, protocolVersion, reader);
}

/**
 * A class, like the engine's scope, for its `signal` getter: nothing aborts a
 * detached call and most never look, so the AbortController is made only
 * when read (an object literal with a getter is built slowly, in old space).
 */
class DetachedScope implements RequestScope {
  readonly id = 0;
  readonly era = "legacy";
  readonly clientInfo = undefined;
  readonly clientCapabilities = {};
  readonly minLogRank = Number.POSITIVE_INFINITY;
  readonly progressToken = undefined;
  readonly session = undefined;
  readonly http = undefined;
  readonly auth = undefined;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly protocolVersion: ProtocolVersion;
  readonly #reader: (uri: string, scope: RequestScope) => Promise<ReadResourceResult>;
  #controller: AbortController | undefined;

  constructor(
    method: string,
    params: Record<string, unknown>,
    protocolVersion: ProtocolVersion,
    reader: (uri: string, scope: RequestScope) => Promise<ReadResourceResult>,
  ) {
    this.method = method;
    this.params = params;
    this.protocolVersion = protocolVersion;
    this.#reader = reader;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  async notify(): Promise<void> {}

  readResource(uri: string): Promise<ReadResourceResult> {
    return this.#reader(uri, this);
  }
}
