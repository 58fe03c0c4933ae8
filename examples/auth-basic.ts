/**
 * An OAuth 2.1 resource server: the twin of the Python guide's "OAuth 2.1
 * Resource Server (Basic Pattern)". The guide's `ProductionTokenVerifier`,
 * written with jose: the authorization server's JWKS (fetched and cached),
 * an algorithm allow-list, audience, issuer, the required scopes
 * {"user", "read"}, and a blacklist of token ids. `JWTVerifier` from
 * `fastmcp-ts/auth` does the same in one call (see `jwtVerifierFor`).
 *
 *   AUTH_ISSUER=https://auth.example.com npx tsx examples/auth-basic.ts
 *
 * Clients then find the authorization server from the first 401: its
 * `resource_metadata` names http://127.0.0.1:8000/.well-known/oauth-protected-resource/mcp.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { JWTVerifier } from "../src/auth/index.ts";
import { type AccessToken, FastMCP, type TokenVerifier } from "../src/index.ts";

/** Where the tokens come from and the URL this server is known by. */
export interface AuthConfig {
  /** The authorization server's issuer identifier (its tokens' `iss`). */
  issuer: string;
  /** Its JSON Web Key Set (`jwks_uri` in its metadata). */
  jwksUri: string;
  /** This server's MCP endpoint as clients reach it: the tokens' audience. */
  resourceServerUrl: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const issuer = env.AUTH_ISSUER ?? "https://auth.example.com";
  return {
    issuer,
    jwksUri: env.AUTH_JWKS_URI ?? `${issuer}/jwks`,
    resourceServerUrl: env.MCP_RESOURCE_URL ?? "http://127.0.0.1:8000/mcp",
  };
}

/** The guide's `is_blacklisted`: in one process a Set; across processes, Redis (see docs/auth.md). */
export const blacklist = new Set<string>();

/**
 * jose's errors that mean "this token is bad" (the guide's
 * `jwt.InvalidTokenError`): the verifier answers null and the client gets
 * 401. Anything else (the JWKS endpoint down) is thrown: the client gets
 * 503 and may try again, instead of being told a good token is bad.
 */
const INVALID = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JWKSNoMatchingKey,
  errors.JOSENotSupported,
];

export class ProductionTokenVerifier implements TokenVerifier {
  static readonly REQUIRED_SCOPES = ["user", "read"];
  readonly #config: AuthConfig;
  // 1. The JWKS: fetched on first use, cached, fetched again for an unknown `kid`.
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(config: AuthConfig) {
    this.#config = config;
    this.#jwks = createRemoteJWKSet(new URL(config.jwksUri));
  }

  async verifyToken(token: string): Promise<AccessToken | null> {
    let claims: JWTPayload;
    try {
      // 2. Signature and claims; RS256 only, so `none` and HS256 tricks fail here.
      ({ payload: claims } = await jwtVerify(token, this.#jwks, {
        algorithms: ["RS256"],
        audience: this.#config.resourceServerUrl,
        issuer: this.#config.issuer,
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      if (INVALID.some((kind) => error instanceof kind)) return null;
      throw error;
    }
    // 3. Least privilege: every required scope, or no access at all.
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
    if (!ProductionTokenVerifier.REQUIRED_SCOPES.every((scope) => scopes.includes(scope)))
      return null;
    // 4. Not revoked.
    if (typeof claims.jti === "string" && (await this.isBlacklisted(claims.jti))) return null;
    return {
      token,
      scopes,
      expiresAt: claims.exp,
      clientId: typeof claims.client_id === "string" ? claims.client_id : undefined,
      subject: claims.sub,
    };
  }

  async isBlacklisted(jti: string): Promise<boolean> {
    return blacklist.has(jti);
  }
}

/** The same checks as `ProductionTokenVerifier`, in one call. */
export function jwtVerifierFor(config: AuthConfig): JWTVerifier {
  return new JWTVerifier({
    jwksUri: config.jwksUri,
    issuer: config.issuer,
    audience: config.resourceServerUrl,
    algorithms: ["RS256"],
    requiredScopes: ProductionTokenVerifier.REQUIRED_SCOPES,
    isRevoked: (claims) => blacklist.has(String(claims.jti)),
  });
}

export function createServer(
  config: AuthConfig = configFromEnv(),
  tokenVerifier: TokenVerifier = new ProductionTokenVerifier(config),
): FastMCP {
  const mcp = new FastMCP("ProtectedServer", {
    tokenVerifier,
    auth: {
      issuerUrl: config.issuer,
      resourceServerUrl: config.resourceServerUrl,
      requiredScopes: ["user"],
    },
  });
  mcp.tool(
    "get_user_data",
    { description: "Get user data (requires authentication)." },
    // Protected by the auth settings: no request reaches this without a valid token.
    (_args, ctx) => ({ data: "sensitive information", subject: ctx.auth?.subject }),
  );
  return mcp;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await createServer().run({ transport: "streamable-http", host: "127.0.0.1", port: 8000 });
}
