import type { ServerAuth } from "../../auth/server-auth.js";
import type { AccessToken } from "../../auth/types.js";
import { ErrorCode } from "../../protocol/jsonrpc.js";
import { serveTransport } from "../connection.js";
import type { TransportHost } from "../host.js";
import { authenticate, authorizeMessage } from "./auth-gate.js";
import { EndpointContext } from "./endpoint-context.js";
import type { HttpExchange } from "./exchange.js";
import { serveGet } from "./get-stream.js";
import { LegacySseEndpoint } from "./legacy-sse.js";
import { isMetadataPath, serveMetadata } from "./metadata-route.js";
import { servePost } from "./post.js";
import { ALLOW, errorReply, methodNotAllowed } from "./replies.js";
import { checkHost, checkOrigin, corsHeaders, preflightHeaders } from "./security.js";
import { serveDelete } from "./sessions.js";
import type { HttpSettings } from "./settings.js";

/**
 * The Streamable HTTP endpoint, for both protocol eras on one URL. It knows
 * HTTP semantics (status codes, headers, SSE, sessions) and hands each
 * JSON-RPC message to the host through an envelope. This file routes; each
 * HTTP method is served in a file of its own (post.ts, get-stream.ts,
 * sessions.ts).
 */
export class HttpEndpoint {
  readonly #ctx: EndpointContext;
  readonly #legacySse: LegacySseEndpoint | undefined;

  constructor(host: TransportHost, settings: HttpSettings, auth?: ServerAuth) {
    const ctx = new EndpointContext(host, settings, auth);
    this.#ctx = ctx;
    host.onSessionEnd((id) => void ctx.streams.sessionEnded(id));
    this.#legacySse = settings.legacySse
      ? new LegacySseEndpoint(
          settings,
          settings.legacySse,
          (transport) => serveTransport(host, transport),
          auth &&
            ((token, message, ex, headers) =>
              authorizeMessage(auth, host, token, message, ex, headers)),
        )
      : undefined;
  }

  get settings(): HttpSettings {
    return this.#ctx.settings;
  }

  /** Whether a path is served here (adapters pass others on to the next handler). */
  matches(pathname: string): boolean {
    const path = this.#ctx.settings.path;
    return (
      pathname === path ||
      isMetadataPath(this.#ctx.auth, pathname, path) ||
      (path === "/" ? pathname === "" : pathname === `${path}/`) ||
      (this.#legacySse?.matches(pathname) ?? false)
    );
  }

  /** Closes every open stream (server shutdown). */
  async closeStreams(): Promise<void> {
    await Promise.all([this.#ctx.streams.closeAll(), this.#legacySse?.closeAll()]);
    // One reply that cannot end (its connection already gone) must not keep the others open.
    for (const { reply } of this.#ctx.live) {
      try {
        reply.finish(undefined)?.catch(() => undefined);
      } catch {
        // ended already: nothing to close
      }
    }
  }

  /**
   * Serves one exchange whose path `matches()`: the public auth metadata,
   * then security, then the bearer token (when the server has auth), then by
   * method.
   */
  async handle(ex: HttpExchange): Promise<void> {
    const ctx = this.#ctx;
    const settings = ctx.settings;
    const auth = ctx.auth;
    if (auth !== undefined && isMetadataPath(auth, ex.pathname, settings.path))
      return serveMetadata(auth, ex);
    const refused = checkHost(ex, settings) ?? checkOrigin(ex, settings);
    if (refused !== undefined)
      return errorReply(ex, {}, 403, undefined, ErrorCode.InvalidRequest, `Forbidden: ${refused}`);
    const cors = corsHeaders(ex, settings) ?? {};
    let token: AccessToken | undefined;
    if (auth !== undefined && ex.method !== "OPTIONS") {
      const telemetry = ctx.host.telemetry;
      const logger = ctx.host.logger;
      token = telemetry?.authCheck
        ? await telemetry.authCheck(
            (name) => ex.header(name),
            () => authenticate(auth, ex, cors, logger),
          )
        : await authenticate(auth, ex, cors, logger);
      if (token === undefined) return;
    }
    if (this.#legacySse?.matches(ex.pathname) && ex.method !== "OPTIONS")
      return this.#legacySse.handle(ex, cors, token);
    switch (ex.method) {
      case "POST":
        // Awaited, not returned (see servePost's end).
        await servePost(ctx, ex, cors, token);
        return;
      case "GET":
        return serveGet(ctx, ex, cors, token);
      case "DELETE":
        return serveDelete(ctx, ex, cors, token);
      case "OPTIONS":
        if (settings.cors && "access-control-allow-origin" in cors)
          return ex.reply(204, preflightHeaders(ex, settings, cors));
        return ex.reply(204, { ...cors, allow: ALLOW });
      default:
        return methodNotAllowed(ex, cors, settings);
    }
  }
}
