/**
 * JWT access tokens verified locally: the signature against the issuer's
 * keys (a JWKS URL or one configured key), then issuer, expiry, audience,
 * resource, scopes and revocation. Built on jose, which knows the JOSE
 * pitfalls; what is ours is the policy (the allow-list, the audience rule of
 * the MCP specification, what is invalid versus unverifiable) and the cache.
 */
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
  type KeyInput,
} from "jose";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
import { canonicalUri } from "./canonical-uri.js";
import {
  audienceOption,
  endpointUrl,
  messageOf,
  nonNegative,
  optionalFunction,
  scopeList,
  stringList,
} from "./checks.js";
import {
  type AudienceSet,
  accessTokenFrom,
  audienceMatches,
  hasScopes,
  type RevocationCheck,
  resourceMatches,
} from "./claims.js";
import { ExpiringCache } from "./expiring-cache.js";
import {
  checkAlgorithms,
  fixedKey,
  type JWTAlgorithm,
  jwksAlgorithms,
  type VerificationKey,
} from "./jwt-keys.js";
import type { AccessToken, TokenVerifier } from "./types.js";

const OWNER = "JWTVerifier";

export interface JWTVerifierOptions {
  /**
   * The authorization server's JSON Web Key Set (its metadata's `jwks_uri`).
   * Keys are cached for 10 minutes; a token signed with a key not yet seen
   * (rotation) fetches the set again, at most once every 30 seconds, so a
   * flood of made-up `kid`s cannot turn into a flood of requests. Exactly
   * one of `jwksUri` and `publicKey`.
   */
  jwksUri?: string | URL;
  /**
   * One verification key: a PEM SPKI string (`-----BEGIN PUBLIC KEY-----`),
   * a public JWK, a CryptoKey or a Node KeyObject, or a shared secret as a
   * Uint8Array (the only key HS256/384/512 are allowed with).
   */
  publicKey?: string | KeyInput;
  /** The `iss` a token must carry: one issuer or several, compared exactly. */
  issuer: string | readonly string[];
  /**
   * The audience a token must name in `aud`: this server's canonical URI
   * (compared canonically: `HTTPS://Host/mcp/` matches `https://host/mcp`)
   * or whatever the authorization server puts there (`api://…`, a client
   * id: compared exactly). Required unless `dangerouslyAcceptAnyAudience`.
   */
  audience?: string | readonly string[];
  /**
   * The JWS algorithms accepted. Default: every asymmetric one (RS*, PS*,
   * ES*, EdDSA), narrowed to what the key can verify; HS256/384/512 for a
   * secret. `none` is never accepted, HS* never with a public key or a JWKS.
   */
  algorithms?: readonly JWTAlgorithm[];
  /** Scopes every token must grant (`scope` or `scp`); a token without them is invalid. */
  requiredScopes?: readonly string[];
  /** Seconds of clock skew allowed for `exp`, `nbf` and `iat`. Default 30. */
  clockToleranceSec?: number;
  /**
   * Whether a token, valid otherwise, was revoked (e.g. its `jti` is on a
   * deny list). Asked on every call, for cached tokens too. A throw is a
   * failure to check (the client gets 503), not an invalid token.
   */
  isRevoked?: RevocationCheck;
  /**
   * The RFC 8707 resource a token must carry in a `resource` claim,
   * compared canonically, for authorization servers that put it there
   * apart from `aud`.
   */
  resource?: string | URL;
  /** Accept a token whatever its audience. Only when something else checks it. */
  dangerouslyAcceptAnyAudience?: boolean;
  /** How many verified tokens to remember (the oldest goes first). Default 10,000; 0: none. */
  cacheMaxEntries?: number;
}

const KEYS = {
  jwksUri: true,
  publicKey: true,
  issuer: true,
  audience: true,
  algorithms: true,
  requiredScopes: true,
  clockToleranceSec: true,
  isRevoked: true,
  resource: true,
  dangerouslyAcceptAnyAudience: true,
  cacheMaxEntries: true,
} satisfies KeyList<JWTVerifierOptions>;

/** Names from other libraries (jose, PyJWT, Python FastMCP) mapped to ours. */
const ALIASES = {
  jwksUrl: "jwksUri",
  jwks: "jwksUri",
  key: "publicKey",
  secret: "publicKey",
  audiences: "audience",
  issuers: "issuer",
  clockTolerance: "clockToleranceSec",
  leeway: "clockToleranceSec",
  scopes: "requiredScopes",
  requiredScope: "requiredScopes",
};

/**
 * jose's errors that mean the token itself is bad: the client gets 401.
 * Every other error (the JWKS endpoint unreachable, slow, answering
 * non-200 or garbage, which jose reports as JWKSTimeout, JWKSInvalid, a
 * plain JOSEError or fetch's own TypeError) means the token could not be
 * checked, and is thrown: a 503, not a verdict on a token nobody looked at.
 * JOSENotSupported is the token's doing too (an unknown `crit` header, an
 * algorithm jose lacks).
 */
const INVALID_TOKEN = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWSSignatureVerificationFailed,
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JOSEAlgNotAllowed,
  errors.JWKSNoMatchingKey,
  errors.JOSENotSupported,
];

function isInvalidToken(error: unknown): boolean {
  return INVALID_TOKEN.some((kind) => error instanceof kind);
}

/**
 * Verifies JWT bearer tokens: `null` for every invalid one, throws only
 * when it could not check (its JWKS endpoint down). A verified token is
 * remembered until it expires, so the signature is checked once per token
 * rather than once per request; expiry and `isRevoked` are checked on
 * every call all the same.
 *
 * ```ts
 * const verifier = new JWTVerifier({
 *   jwksUri: "https://auth.example.com/.well-known/jwks.json",
 *   issuer: "https://auth.example.com/",
 *   audience: "https://mcp.example.com/mcp",
 * });
 * ```
 */
export class JWTVerifier implements TokenVerifier {
  readonly #key: VerificationKey["key"];
  readonly #jwksUri: string | undefined;
  readonly #verifyOptions: JWTVerifyOptions;
  readonly #audiences: AudienceSet | undefined;
  readonly #resource: string | undefined;
  readonly #requiredScopes: readonly string[];
  readonly #toleranceSec: number;
  readonly #isRevoked: RevocationCheck | undefined;
  readonly #cache: ExpiringCache<string, AccessToken>;

  constructor(options: JWTVerifierOptions) {
    checkOptionsObject(options, OWNER, "the options");
    if (options === undefined) throw new TypeError(`${OWNER}: options are required`);
    checkKnownKeys(options, KEYS, { owner: OWNER, aliases: ALIASES });
    const issuer = stringList(OWNER, "issuer", options.issuer);
    if (issuer === undefined)
      throw new TypeError(
        `${OWNER}: issuer is required (the authorization server's issuer identifier, its tokens' "iss")`,
      );
    this.#audiences = audienceOption(OWNER, options.audience, options.dangerouslyAcceptAnyAudience);
    const algorithms = checkAlgorithms(OWNER, options.algorithms);
    const { jwksUri, publicKey } = options;
    if ((jwksUri === undefined) === (publicKey === undefined))
      throw new TypeError(
        `${OWNER}: give exactly one of jwksUri (the issuer's key set URL) and publicKey (one key)`,
      );
    let key: VerificationKey;
    if (jwksUri !== undefined) {
      const url = endpointUrl(OWNER, "jwksUri", jwksUri);
      this.#jwksUri = url.href;
      key = {
        key: createRemoteJWKSet(url, {
          cooldownDuration: 30_000,
          timeoutDuration: 5_000,
          cacheMaxAge: 600_000,
        }),
        algorithms: jwksAlgorithms(OWNER, algorithms),
      };
    } else key = fixedKey(OWNER, publicKey, algorithms);
    this.#key = key.key;
    this.#resource = options.resource === undefined ? undefined : resourceOption(options.resource);
    this.#requiredScopes = scopeList(OWNER, "requiredScopes", options.requiredScopes);
    this.#toleranceSec = nonNegative(OWNER, "clockToleranceSec", options.clockToleranceSec, 30);
    this.#isRevoked = optionalFunction(OWNER, "isRevoked", options.isRevoked);
    const maxEntries = nonNegative(OWNER, "cacheMaxEntries", options.cacheMaxEntries, 10_000, true);
    this.#cache = new ExpiringCache(maxEntries);
    this.#verifyOptions = {
      issuer: issuer.length === 1 ? issuer[0] : issuer,
      algorithms: [...key.algorithms],
      clockTolerance: this.#toleranceSec,
      // An access token without an expiry would be valid forever (RFC 9068
      // requires `exp`), and could be cached forever.
      requiredClaims: ["exp"],
    };
  }

  async verifyToken(token: string): Promise<AccessToken | null> {
    if (typeof token !== "string" || token === "") return null;
    const hit = this.#cache.get(token, Date.now());
    if (hit !== undefined) return (await this.#revoked(hit.value)) ? null : hit.value;
    const payload = await this.#verify(token);
    if (payload === null || !this.#claimsAccepted(payload)) return null;
    const accessToken = accessTokenFrom(token, payload);
    if (!hasScopes(accessToken, this.#requiredScopes)) return null;
    if (await this.#revoked(accessToken)) return null;
    // jose accepted `exp` with the tolerance; the cache accepts it as long.
    const until = ((payload.exp ?? 0) + this.#toleranceSec) * 1000;
    this.#cache.set(token, accessToken, until);
    return accessToken;
  }

  async #verify(token: string): Promise<JWTPayload | null> {
    try {
      return (await jwtVerify(token, this.#key, this.#verifyOptions)).payload;
    } catch (error) {
      if (error instanceof errors.JWKSMultipleMatchingKeys) return this.#tryEach(token, error);
      if (isInvalidToken(error)) return null;
      throw this.#unverifiable(error);
    }
  }

  /**
   * A token without `kid` when the key set holds several keys for its
   * algorithm: jose hands over the candidates and each is tried in turn
   * (its documented way), the first that verifies wins.
   */
  async #tryEach(token: string, candidates: errors.JWKSMultipleMatchingKeys) {
    for await (const key of candidates as AsyncIterable<CryptoKey>) {
      try {
        return (await jwtVerify(token, key, this.#verifyOptions)).payload;
      } catch (error) {
        if (error instanceof errors.JWSSignatureVerificationFailed) continue;
        if (isInvalidToken(error)) return null;
        throw this.#unverifiable(error);
      }
    }
    return null;
  }

  #claimsAccepted(payload: JWTPayload): boolean {
    if (this.#audiences !== undefined && !audienceMatches(payload.aud, this.#audiences))
      return false;
    return this.#resource === undefined || resourceMatches(payload.resource, this.#resource);
  }

  async #revoked(token: AccessToken): Promise<boolean> {
    if (this.#isRevoked === undefined) return false;
    return (await this.#isRevoked(token.claims ?? {})) === true;
  }

  /** The error thrown when a token could not be checked: it names the cause, never the token. */
  #unverifiable(error: unknown): Error {
    const reason =
      error instanceof errors.JWKSTimeout ? "the request timed out (5 s)" : messageOf(error);
    // Mostly the key set's fetch, but also a key jose will not use (an RSA
    // key under 2048 bits): the message names the set, not which went wrong.
    const keys =
      this.#jwksUri === undefined ? "the configured key" : `the key set ${this.#jwksUri}`;
    return new Error(`${OWNER}: could not check a token with ${keys}: ${reason}`, { cause: error });
  }
}

function resourceOption(value: unknown): string {
  if (typeof value !== "string" && !(value instanceof URL))
    throw new TypeError(`${OWNER}: resource must be a URL string or a URL`);
  try {
    return canonicalUri(value);
  } catch (error) {
    throw new TypeError(`${OWNER}: resource ${messageOf(error)}`);
  }
}
