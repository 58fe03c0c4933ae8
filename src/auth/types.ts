/**
 * Authentication's public vocabulary: what a verified token is, what verifies
 * one, and how a server describes itself as an OAuth 2.1 resource server.
 * The verifiers themselves (JWT, introspection) live in `fastmcp-ts/auth`,
 * so a server without auth loads none of them.
 */

/** A bearer token a `TokenVerifier` accepted: `ctx.auth` in every handler. */
export interface AccessToken {
  /** The token as the client sent it. Never logged, never echoed in errors. */
  readonly token: string;
  /** The OAuth client the token was issued to (`client_id`, `azp`), when known. */
  readonly clientId?: string | undefined;
  /** The scopes the token grants. */
  readonly scopes: readonly string[];
  /** When the token expires, in seconds since the epoch (`exp`), when known. */
  readonly expiresAt?: number | undefined;
  /** Whom the token acts for (`sub`), when known. */
  readonly subject?: string | undefined;
  /** The authorization server that issued it (`iss`), when known. */
  readonly issuer?: string | undefined;
  /** The audiences the token was issued for (`aud`), when known. */
  readonly audience?: readonly string[] | undefined;
  /** The RFC 8707 resource the token was issued for, when the issuer names one apart from `aud`. */
  readonly resource?: string | undefined;
  /** Every claim of the token (a JWT's payload, an introspection answer). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Anything that turns a bearer token into an `AccessToken`: `null` or
 * `undefined` when the token is not valid (the client gets 401
 * `invalid_token`). Throw only when the token could not be checked at all
 * (the JWKS or introspection endpoint is down): the client then gets 503 and
 * the failure is logged, without the token.
 */
export interface TokenVerifier {
  verifyToken(
    token: string,
  ): Promise<AccessToken | null | undefined> | AccessToken | null | undefined;
}

/**
 * The server as an OAuth 2.1 protected resource (RFC 9728): who issues its
 * tokens, the URL it is known by, and what every request needs.
 */
export interface AuthSettings {
  /** The authorization server, or several: the metadata's `authorization_servers`. */
  issuerUrl: string | URL | readonly (string | URL)[];
  /**
   * The URL clients use for the MCP endpoint, as users give it (behind a
   * proxy or under a mount prefix, the public one): the metadata's
   * `resource`, and where its metadata document is served (RFC 9728 path
   * insertion).
   */
  resourceServerUrl: string | URL;
  /** Scopes every request needs; a token without them gets 403 `insufficient_scope`. */
  requiredScopes?: readonly string[];
  /** The metadata's `scopes_supported`. Default: the required scopes, when any. */
  scopesSupported?: readonly string[];
  /** The metadata's `resource_documentation`. */
  serviceDocumentationUrl?: string | URL;
  /** The metadata's `resource_name`: a name for people, shown by clients while authorizing. */
  resourceName?: string;
}
