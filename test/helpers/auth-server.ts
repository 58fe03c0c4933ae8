/**
 * A small OAuth 2.1 authorization server on loopback, for driving the SDK
 * clients' real OAuth flows against fastmcp-ts: RFC 8414 metadata (and the
 * same document as OpenID configuration), a JWKS, and a token endpoint that
 * issues RS256 JWTs for the `client_credentials` grant. It counts every
 * request by path and records every token request, so tests can tell that
 * discovery happened and what the client asked for.
 *
 * No authorization code flow and no dynamic registration: the SDKs'
 * `ClientCredentialsProvider` comes with its client id, so neither is used.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type JWTPayload, SignJWT } from "jose";
import { makeKey, nowSec } from "../auth/fixtures.ts";

/** A client the server knows, and the most it may be granted. */
export interface RegisteredClient {
  readonly secret: string;
  /** Every scope this client may hold: what it asks for is cut down to these. */
  readonly scopes: readonly string[];
  /** Granted when the request names no scope. Default: all of `scopes`. */
  readonly defaultScopes?: readonly string[];
}

export interface AuthServerOptions {
  readonly clients: Readonly<Record<string, RegisteredClient>>;
  /** `aud` of a token requested without an RFC 8707 `resource` (an API identifier). */
  readonly defaultAudience?: string;
  /** Seconds a token lives. Default 600. */
  readonly tokenTtlSec?: number;
  /** The client authentication methods advertised and accepted. Default: both. */
  readonly authMethods?: readonly ClientAuthMethod[];
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post";

/** One request to the token endpoint, as the server understood it. */
export interface TokenRequestRecord {
  readonly clientId: string | undefined;
  readonly authMethod: ClientAuthMethod | "none";
  readonly grantType: string | null;
  /** The `scope` parameter as sent, or undefined when absent. */
  readonly scope: string | undefined;
  /** Every `resource` parameter (RFC 8707), in order. */
  readonly resources: readonly string[];
  /** The OAuth error answered, or undefined when a token was issued. */
  readonly error: string | undefined;
  /** The scopes granted, when a token was issued. */
  readonly granted: readonly string[] | undefined;
}

export interface AuthServer {
  /** The issuer identifier: `http://127.0.0.1:PORT`, no trailing slash. */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  /** How many requests reached `path` (any method). */
  count(path: string): number;
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** "500": the JWKS endpoint fails, as an unreachable provider looks to a verifier. */
  jwksMode: "ok" | "500";
  /** A token signed with the server's key, without a token request: claims override the defaults. */
  sign(claims?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const FORM = "application/x-www-form-urlencoded";

/** RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and base64ed. */
function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  const form = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
  try {
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res
    .writeHead(status, {
      "content-type": "application/json",
      "cache-control": "no-store",
      ...headers,
    })
    .end(JSON.stringify(body));
}

/** RFC 8707 2: a resource is an absolute URI without a fragment. */
function checkResource(resource: string): void {
  if (!URL.canParse(resource) || new URL(resource).hash !== "")
    throw new OAuthError(
      400,
      "invalid_target",
      `Not an absolute URI without a fragment: ${resource}`,
    );
}

export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const key = await makeKey("RS256", "as-key-1");
  const counts = new Map<string, number>();
  const tokenRequests: TokenRequestRecord[] = [];
  const state = { jwksMode: "ok" as "ok" | "500" };
  const ttl = options.tokenTtlSec ?? 600;
  const clients = new Map(Object.entries(options.clients));
  const authMethods = options.authMethods ?? ["client_secret_basic", "client_secret_post"];
  let issuer = "";

  const sign = (claims: JWTPayload = {}) => {
    const now = nowSec();
    return new SignJWT({
      iss: issuer,
      iat: now,
      exp: now + ttl,
      jti: `jti-${crypto.randomUUID()}`,
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "at+jwt" })
      .sign(key.privateKey);
  };

  function metadata(): Record<string, unknown> {
    const all = new Set([...clients.values()].flatMap((client) => client.scopes));
    return {
      issuer,
      // The SDKs' metadata schemas require an authorization endpoint; this one
      // refuses every request, and `response_types_supported` says so.
      authorization_endpoint: `${issuer}/authorize`,
      response_types_supported: [],
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: authMethods,
      scopes_supported: [...all],
    };
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = {
      clientId: undefined as string | undefined,
      authMethod: "none" as TokenRequestRecord["authMethod"],
      grantType: null as string | null,
      scope: undefined as string | undefined,
      resources: [] as string[],
    };
    try {
      if (req.method !== "POST")
        throw new OAuthError(405, "invalid_request", "POST only", { allow: "POST" });
      if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith(FORM))
        throw new OAuthError(400, "invalid_request", `The body must be ${FORM}`);
      const params = new URLSearchParams(await readBody(req));
      record.grantType = params.get("grant_type");
      record.scope = params.get("scope") ?? undefined;
      record.resources = params.getAll("resource");
      const client = authenticateClient(req, params, record);
      if (record.grantType !== "client_credentials")
        throw new OAuthError(400, "unsupported_grant_type", `Not supported: ${record.grantType}`);
      for (const resource of record.resources) checkResource(resource);
      const requested = record.scope?.split(" ").filter(Boolean);
      const granted =
        requested === undefined
          ? [...(client.defaultScopes ?? client.scopes)]
          : requested.filter((scope) => client.scopes.includes(scope));
      const audience =
        record.resources.length === 0
          ? options.defaultAudience
          : record.resources.length === 1
            ? record.resources[0]
            : record.resources;
      const accessToken = await sign({
        sub: record.clientId,
        client_id: record.clientId,
        scope: granted.join(" "),
        ...(audience === undefined ? {} : { aud: audience }),
        // RFC 8707's resource, beside `aud`, for resource servers that check it apart.
        ...(record.resources.length === 1 ? { resource: record.resources[0] } : {}),
      });
      tokenRequests.push({ ...record, error: undefined, granted });
      json(res, 200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: ttl,
        scope: granted.join(" "),
      });
    } catch (error) {
      const failure =
        error instanceof OAuthError
          ? error
          : new OAuthError(500, "server_error", (error as Error).message);
      tokenRequests.push({ ...record, error: failure.code, granted: undefined });
      json(
        res,
        failure.status,
        { error: failure.code, error_description: failure.message },
        failure.headers,
      );
    }
  }

  /** client_secret_basic or client_secret_post, never both (RFC 6749 2.3). */
  function authenticateClient(
    req: IncomingMessage,
    params: URLSearchParams,
    record: { clientId: string | undefined; authMethod: TokenRequestRecord["authMethod"] },
  ): RegisteredClient {
    const header = req.headers.authorization;
    const basic = header === undefined ? undefined : basicCredentials(header);
    if (header !== undefined && basic === undefined)
      throw new OAuthError(401, "invalid_client", "Malformed Basic credentials", {
        "www-authenticate": 'Basic realm="token"',
      });
    const posted = params.get("client_secret");
    if (basic !== undefined && posted !== null)
      throw new OAuthError(400, "invalid_request", "More than one client authentication method");
    const id = basic?.id ?? params.get("client_id") ?? undefined;
    const secret = basic?.secret ?? posted ?? undefined;
    record.clientId = id;
    record.authMethod =
      basic !== undefined ? "client_secret_basic" : posted !== null ? "client_secret_post" : "none";
    const client = id === undefined ? undefined : clients.get(id);
    const allowed = authMethods.includes(record.authMethod as ClientAuthMethod);
    if (client === undefined || secret === undefined || secret !== client.secret || !allowed)
      throw new OAuthError(
        401,
        "invalid_client",
        "Unknown client or wrong secret",
        basic === undefined ? {} : { "www-authenticate": 'Basic realm="token"' },
      );
    return client;
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (path === "/token") {
      void token(req, res);
      return;
    }
    if (req.method !== "GET") {
      json(res, 405, { error: "invalid_request" }, { allow: "GET" });
      return;
    }
    if (path === "/.well-known/oauth-authorization-server") json(res, 200, metadata());
    else if (path === "/.well-known/openid-configuration")
      json(res, 200, {
        ...metadata(),
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    else if (path === "/jwks") {
      if (state.jwksMode === "500") res.writeHead(500).end("down");
      else json(res, 200, { keys: [key.jwk] });
    } else if (path === "/authorize")
      json(res, 400, {
        error: "unsupported_response_type",
        error_description: "client_credentials only",
      });
    else json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
    count: (path) => counts.get(path) ?? 0,
    tokenRequests,
    get jwksMode() {
      return state.jwksMode;
    },
    set jwksMode(value) {
      state.jwksMode = value;
    },
    sign,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
