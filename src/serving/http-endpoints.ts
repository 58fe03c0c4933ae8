import type { ServerAuth } from "../auth/server-auth.js";
import type { ServerOptions } from "../options.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import type { Lifecycle } from "../server/lifecycle.js";
import { MemoryEventStore } from "../state/event-store.js";
import type { TransportHost } from "../transports/host.js";
import { HttpEndpoint } from "../transports/http/endpoint.js";
import { FetchExchange } from "../transports/http/fetch.js";
import { NodeExchange, type NodeHandler } from "../transports/http/node.js";
import {
  checkHttpOptions,
  HTTP_OPTION_KEYS,
  type HttpOptions,
  resolveHttpSettings,
} from "../transports/http/settings.js";
import { findWaitUntil } from "../transports/http/wait-until.js";
import type { KeyList } from "../util/known-keys.js";
import type { AccessLog } from "./access-log.js";

/** One endpoint's options: the server's HTTP options, overridden per handler or per run. */
export type EndpointOverrides = HttpOptions & {
  path?: string | undefined;
  /** Overrides the server's `statelessHttp` for this endpoint. */
  statelessHttp?: boolean | undefined;
  /** Overrides the server's `jsonResponse` for this endpoint. */
  jsonResponse?: boolean | undefined;
};

export const ENDPOINT_OVERRIDE_KEYS = {
  ...HTTP_OPTION_KEYS,
  path: true,
  statelessHttp: true,
  jsonResponse: true,
} satisfies KeyList<EndpointOverrides>;

const INTERNAL_ERROR_BODY = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: ErrorCode.InternalError, message: "Internal error" },
});

/**
 * A server's Streamable HTTP entry points: the web-standard `fetch`, Node's
 * `(req, res, next)` handlers, and the endpoints behind them. Every endpoint
 * shares the server's host and its event store: the `eventStore` option, else one
 * in memory (made when first needed).
 */
export class HttpEndpoints {
  readonly #host: TransportHost;
  readonly #lifecycle: Lifecycle;
  readonly #options: ServerOptions;
  /** Names the server in option errors: `FastMCP("weather")`. */
  readonly #owner: string;
  readonly #auth: ServerAuth | undefined;
  #default: HttpEndpoint | undefined;
  #eventStore: MemoryEventStore | undefined;

  constructor(
    host: TransportHost,
    lifecycle: Lifecycle,
    options: ServerOptions,
    owner: string,
    auth: ServerAuth | undefined,
  ) {
    this.#host = host;
    this.#auth = auth;
    this.#lifecycle = lifecycle;
    this.#options = options;
    this.#owner = owner;
  }

  /**
   * `(Request, context?, executionContext?) => Promise<Response>`; requests to
   * other paths get 404. The runtime's `waitUntil` is taken from whichever
   * extra argument has one (Workers pass it third, Netlify second), and the
   * peer's address from Bun's `server`, Deno's `info`, `@hono/node-server`'s
   * bindings or `{ remoteAddress }` (`remote-address.ts`).
   */
  readonly fetch = async (
    request: Request,
    context?: object,
    executionContext?: object,
  ): Promise<Response> => {
    const endpoint = this.#defaultEndpoint();
    const waitUntil =
      context === undefined && executionContext === undefined
        ? undefined
        : findWaitUntil(context, executionContext);
    const ex = new FetchExchange(request, waitUntil, context, executionContext);
    if (!endpoint.matches(ex.pathname)) return new Response("Not Found", { status: 404 });
    this.#serve(endpoint, ex);
    return ex.response;
  };

  /** A Node handler; with options, for an endpoint of its own. */
  nodeHandler(options?: EndpointOverrides): NodeHandler {
    checkHttpOptions(options, `${this.#owner}.nodeHandler()`, "", ENDPOINT_OVERRIDE_KEYS);
    return this.nodeHandlerFor(options ? this.create(options) : this.#defaultEndpoint());
  }

  /** Requests to other paths go to `next`, or get 404; `access` logs each (under `run()`). */
  nodeHandlerFor(endpoint: HttpEndpoint, access?: AccessLog): NodeHandler {
    return (req, res, next) => {
      const ex = new NodeExchange(req, res);
      if (access !== undefined) access.watch(req, res, ex);
      if (!endpoint.matches(ex.pathname)) {
        if (next) next();
        else ex.reply(404, { "content-type": "text/plain" }, "Not Found");
        return;
      }
      this.#serve(endpoint, ex);
    };
  }

  /** An endpoint whose streams close with the server. */
  create(overrides: EndpointOverrides): HttpEndpoint {
    const options = this.#options;
    const settings = resolveHttpSettings(
      {
        ...options.http,
        ...withoutUndefined(overrides),
        path: overrides.path ?? options.streamableHttpPath,
        stateless: overrides.statelessHttp ?? options.statelessHttp,
        jsonResponse: overrides.jsonResponse ?? options.jsonResponse,
      },
      () => options.eventStore ?? this.#memoryEventStore(),
    );
    const endpoint = new HttpEndpoint(this.#host, settings, this.#auth);
    this.#lifecycle.onClose(() => endpoint.closeStreams());
    return endpoint;
  }

  #memoryEventStore(): MemoryEventStore {
    this.#eventStore ??= new MemoryEventStore();
    return this.#eventStore;
  }

  #defaultEndpoint(): HttpEndpoint {
    this.#default ??= this.create({});
    return this.#default;
  }

  #serve(endpoint: HttpEndpoint, ex: FetchExchange | NodeExchange): void {
    // No async wrapper once running: its promise and turns would be paid per request.
    const served = this.#lifecycle.running
      ? endpoint.handle(ex)
      : this.#lifecycle.start().then(() => endpoint.handle(ex));
    served.catch((error: unknown) => {
      // A client that hangs up while its request is read is not the server's failure.
      if (clientWentAway(error)) {
        this.#host.logger.debug("A client went away before its request was read", error);
        return;
      }
      this.#host.logger.error("Failed to serve an HTTP request", error);
      ex.reply(500, { "content-type": "application/json" }, INTERNAL_ERROR_BODY);
    });
  }
}

/** node:http's word for a request whose connection closed before its body was read. */
function clientWentAway(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "ECONNRESET" || code === "ECONNABORTED" || message === "aborted";
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
