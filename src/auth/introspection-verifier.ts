/**
 * Opaque (or any) tokens checked by asking the authorization server: RFC
 * 7662 token introspection. Every answer is remembered for a while, keyed
 * by a hash of the token, so a client's requests cost one round trip per
 * token and minute, not one each.
 */
import { toBase64 } from "../util/base64.js";
import { checkKnownKeys, checkOptionsObject, type KeyList } from "../util/known-keys.js";
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
} from "./claims.js";
import { ExpiringCache } from "./expiring-cache.js";
import type { AccessToken, TokenVerifier } from "./types.js";

const OWNER = "IntrospectionVerifier";

/** How long an inactive token's answer is kept: long enough to absorb a flood of it. */
const NEGATIVE_TTL_MS = 10_000;

export interface IntrospectionVerifierOptions {
  /** The authorization server's introspection endpoint (its metadata's `introspection_endpoint`). */
  introspectionUrl: string | URL;
  /** This resource server's client id at the authorization server (HTTP Basic auth). */
  clientId: string;
  /** Its client secret. */
  clientSecret: string;
  /**
   * The audience the answer's `aud` must name, compared like JWTVerifier's
   * (URIs canonically, others exactly). Required unless
   * `dangerouslyAcceptAnyAudience`; an answer without `aud` is then refused.
   */
  audience?: string | readonly string[];
  /** Accept a token whatever its audience. Only when something else checks it. */
  dangerouslyAcceptAnyAudience?: boolean;
  /** The `iss` the answer must carry, when given (an answer without one is refused). */
  issuer?: string | readonly string[];
  /** Scopes every token must grant; a token without them is invalid. */
  requiredScopes?: readonly string[];
  /** Whether an active token was revoked all the same; asked on every call, cached or not. */
  isRevoked?: RevocationCheck;
  /**
   * How long an active token's answer is trusted, in seconds (never past
   * its `exp`). Default 60: a token revoked at the authorization server is
   * still accepted here for up to this long. Inactive answers are kept
   * 10 seconds (or this long, if shorter).
   */
  cacheTtlSec?: number;
  /** How many answers to remember (the oldest goes first). Default 10,000; 0: none. */
  cacheMaxEntries?: number;
  /** How long to wait for the endpoint, in milliseconds. Default 5,000. */
  timeoutMs?: number;
  /** The fetch to use (a proxy-aware one, a mock in tests). Default: the global fetch. */
  fetch?: typeof fetch;
}

const KEYS = {
  introspectionUrl: true,
  clientId: true,
  clientSecret: true,
  audience: true,
  dangerouslyAcceptAnyAudience: true,
  issuer: true,
  requiredScopes: true,
  isRevoked: true,
  cacheTtlSec: true,
  cacheMaxEntries: true,
  timeoutMs: true,
  fetch: true,
} satisfies KeyList<IntrospectionVerifierOptions>;

const ALIASES = {
  introspectionEndpoint: "introspectionUrl",
  endpoint: "introspectionUrl",
  url: "introspectionUrl",
  audiences: "audience",
  scopes: "requiredScopes",
  timeout: "timeoutMs",
};

/**
 * Verifies tokens with the authorization server's RFC 7662 introspection
 * endpoint: `null` when it says the token is inactive (or the audience,
 * issuer or scopes do not fit), a throw when it could not be asked (down,
 * slow, an answer other than 200 with JSON), without the token in the
 * message.
 *
 * ```ts
 * new IntrospectionVerifier({
 *   introspectionUrl: "https://auth.example.com/oauth2/introspect",
 *   clientId: "mcp-server",
 *   clientSecret: process.env.INTROSPECTION_SECRET!,
 *   audience: "https://mcp.example.com/mcp",
 * })
 * ```
 */
export class IntrospectionVerifier implements TokenVerifier {
  readonly #url: URL;
  readonly #authorization: string;
  readonly #audiences: AudienceSet | undefined;
  readonly #issuers: ReadonlySet<string> | undefined;
  readonly #requiredScopes: readonly string[];
  readonly #isRevoked: RevocationCheck | undefined;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #cache: ExpiringCache<string, AccessToken | null>;
  /** Introspections under way, so that concurrent requests with one token ask once. */
  readonly #pending = new Map<string, Promise<AccessToken | null>>();

  constructor(options: IntrospectionVerifierOptions) {
    checkOptionsObject(options, OWNER, "the options");
    if (options === undefined) throw new TypeError(`${OWNER}: options are required`);
    checkKnownKeys(options, KEYS, { owner: OWNER, aliases: ALIASES });
    this.#url = endpointUrl(OWNER, "introspectionUrl", options.introspectionUrl);
    for (const name of ["clientId", "clientSecret"] as const)
      if (typeof options[name] !== "string" || options[name] === "")
        throw new TypeError(`${OWNER}: ${name} is required (a non-empty string)`);
    // RFC 6749 §2.3.1: both are form-encoded before they are joined and encoded.
    const credentials = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    this.#authorization = `Basic ${toBase64(new TextEncoder().encode(credentials))}`;
    this.#audiences = audienceOption(OWNER, options.audience, options.dangerouslyAcceptAnyAudience);
    const issuers = stringList(OWNER, "issuer", options.issuer);
    this.#issuers = issuers === undefined ? undefined : new Set(issuers);
    this.#requiredScopes = scopeList(OWNER, "requiredScopes", options.requiredScopes);
    this.#isRevoked = optionalFunction(OWNER, "isRevoked", options.isRevoked);
    this.#ttlMs = nonNegative(OWNER, "cacheTtlSec", options.cacheTtlSec, 60) * 1000;
    this.#timeoutMs = nonNegative(OWNER, "timeoutMs", options.timeoutMs, 5_000, true);
    const maxEntries = nonNegative(OWNER, "cacheMaxEntries", options.cacheMaxEntries, 10_000, true);
    this.#cache = new ExpiringCache(maxEntries);
    this.#fetch = optionalFunction<typeof fetch>(OWNER, "fetch", options.fetch) ?? globalThis.fetch;
  }

  async verifyToken(token: string): Promise<AccessToken | null> {
    if (typeof token !== "string" || token === "") return null;
    const key = await sha256(token);
    const hit = this.#cache.get(key, Date.now());
    let accepted: AccessToken | null;
    if (hit !== undefined) accepted = hit.value;
    else {
      let pending = this.#pending.get(key);
      if (pending === undefined) {
        pending = this.#introspect(token, key).finally(() => this.#pending.delete(key));
        this.#pending.set(key, pending);
      }
      accepted = await pending;
    }
    if (accepted === null) return null;
    if (this.#isRevoked !== undefined && (await this.#isRevoked(accepted.claims ?? {})) === true)
      return null;
    return accepted;
  }

  async #introspect(token: string, key: string): Promise<AccessToken | null> {
    const answer = await this.#ask(token);
    const now = Date.now();
    const accepted = this.#accept(token, answer);
    if (accepted === null) {
      this.#cache.set(key, null, now + Math.min(NEGATIVE_TTL_MS, this.#ttlMs));
      return null;
    }
    // The authorization server's word holds for the TTL, and never past `exp`.
    const exp = accepted.expiresAt === undefined ? Infinity : accepted.expiresAt * 1000;
    this.#cache.set(key, accepted, Math.min(exp, now + this.#ttlMs));
    return accepted;
  }

  /** The verdict on an answer: RFC 7662 leaves expiry to the server's `active`. */
  #accept(token: string, answer: Readonly<Record<string, unknown>>): AccessToken | null {
    if (answer.active !== true) return null;
    if (this.#audiences !== undefined && !audienceMatches(answer.aud, this.#audiences)) return null;
    if (
      this.#issuers !== undefined &&
      (typeof answer.iss !== "string" || !this.#issuers.has(answer.iss))
    )
      return null;
    const accepted = accessTokenFrom(token, answer);
    return hasScopes(accepted, this.#requiredScopes) ? accepted : null;
  }

  /** POSTs the token to the endpoint; throws (without the token) when no usable answer comes. */
  async #ask(token: string): Promise<Readonly<Record<string, unknown>>> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(this.#url, {
        method: "POST",
        headers: {
          authorization: this.#authorization,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
        // A redirect would carry the token elsewhere; one is an error here.
        redirect: "manual",
        signal,
      });
    } catch (error) {
      throw this.#unavailable(signal.aborted ? this.#timedOut() : messageOf(error), error);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      throw this.#unavailable(`answered HTTP ${response.status}`);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (error) {
      throw this.#unavailable(signal.aborted ? this.#timedOut() : "answered invalid JSON", error);
    }
    if (
      typeof answer !== "object" ||
      answer === null ||
      Array.isArray(answer) ||
      typeof (answer as { active?: unknown }).active !== "boolean"
    )
      throw this.#unavailable('answered JSON without a boolean "active" (not RFC 7662)');
    return answer as Readonly<Record<string, unknown>>;
  }

  #timedOut(): string {
    return `did not answer within ${this.#timeoutMs} ms`;
  }

  #unavailable(reason: string, cause?: unknown): Error {
    return new Error(
      `${OWNER}: could not check a token: the introspection endpoint ${this.#url.href} ${reason}`,
      { cause },
    );
  }
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it. */
function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/** The part of node:crypto used here, typed locally so the file imports no Node module. */
interface NodeHash {
  createHash(algorithm: "sha256"): { update(data: string): { digest(encoding: "base64"): string } };
}

// Node, Bun and Deno hand out node:crypto through process.getBuiltinModule
// (Node 20.16+). Its hash is synchronous, about 1 µs for a token; WebCrypto's
// digest, the fallback on every other runtime, hops through a thread pool
// and costs ~45 µs on Node, on every request, cache hits included.
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:crypto") as NodeHash | undefined;

/**
 * The cache key of a token: its SHA-256. Keys are 44 characters whatever
 * the token, and the inactive answers a flood of made-up tokens leaves
 * behind keep none of them.
 */
function sha256(token: string): string | Promise<string> {
  if (nodeCrypto !== undefined)
    return nodeCrypto.createHash("sha256").update(token).digest("base64");
  return crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(token))
    .then((digest) => toBase64(new Uint8Array(digest)));
}
