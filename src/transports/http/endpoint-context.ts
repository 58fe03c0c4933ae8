import type { ServerAuth } from "../../auth/server-auth.js";
import type { ParamHeader } from "../../protocol/param-header.js";
import { LiveList } from "../../util/live-list.js";
import { PROCESS_TAG, serial } from "../../util/unique-tag.js";
import type { TransportHost } from "../host.js";
import type { HttpExchange } from "./exchange.js";
import { LazyHttpInfo } from "./http-info.js";
import type { RequestReply } from "./reply.js";
import { SessionStreams } from "./session-streams.js";
import type { HttpSettings } from "./settings.js";

/** A legacy request's reply still running, so a client can resume its stream elsewhere. */
export interface LiveReply {
  readonly streamId: string;
  readonly reply: RequestReply;
}

/**
 * What one endpoint's handlers share: the host, the settings, the sessions'
 * GET streams, the replies that can be resumed, and the id counters.
 */
export class EndpointContext {
  readonly host: TransportHost;
  readonly settings: HttpSettings;
  /** The server's authentication; undefined when requests need no token. */
  readonly auth: ServerAuth | undefined;
  readonly streams: SessionStreams;
  /** Request streams still running (a list, not a Map: see `LiveList`). */
  readonly live = new LiveList<LiveReply>();
  /** Made once, not per request. */
  readonly paramHeaders: (tool: string) => readonly ParamHeader[] | undefined;
  #channelCounter = 0;
  #streamCounter = 0;

  constructor(host: TransportHost, settings: HttpSettings, auth: ServerAuth | undefined) {
    this.host = host;
    this.settings = settings;
    this.auth = auth;
    this.paramHeaders = (tool) => host.paramHeaders(tool);
    this.streams = new SessionStreams({
      bus: host.bus,
      topicsFor: (id) => [host.broadcastTopic, host.sessionTopic(id)],
      store: settings.eventStore,
      resumeWindowMs: settings.resumeWindowMs,
      onError: (message, error) => host.logger.error(message, error),
    });
  }

  /** A channel id for a request that belongs to no session. */
  channel(): string {
    return `http-${PROCESS_TAG}-${serial(++this.#channelCounter)}`;
  }

  /**
   * A new request stream's id: the session's id, "-", then a suffix without "-", so GET can
   * tell whose it is and the event store can forget a session's streams (`deleteSessionStreams`).
   */
  streamId(sessionId: string): string {
    return `${sessionId}-${PROCESS_TAG}${serial(++this.#streamCounter)}`;
  }

  /** `ctx.http` for a request: its parts are read from the exchange only if a handler asks. */
  httpInfo(ex: HttpExchange): LazyHttpInfo {
    return new LazyHttpInfo(ex);
  }
}
