/**
 * Fixed tokens for development and tests: no authorization server, no
 * keys, the same `AccessToken` every time. Not for production: a token in
 * source code is a shared password.
 */
import { checkKnownKeys, describeValue, type KeyList } from "../util/known-keys.js";
import { scopeList } from "./checks.js";
import type { AccessToken, TokenVerifier } from "./types.js";

/** What one static token grants. */
export interface StaticTokenGrant {
  /** The scopes the token grants. */
  scopes: readonly string[];
  /** The `sub` the token acts for. */
  subject?: string;
  /** The OAuth client the token stands for. */
  clientId?: string;
  /** When the token stops working, in seconds since the epoch. Default: never. */
  expiresAt?: number;
  /** Extra claims handlers see in `ctx.auth.claims`. */
  claims?: Readonly<Record<string, unknown>>;
}

const GRANT_KEYS = {
  scopes: true,
  subject: true,
  clientId: true,
  expiresAt: true,
  claims: true,
} satisfies KeyList<StaticTokenGrant>;

const OWNER = "StaticTokenVerifier";

/**
 * Accepts exactly the tokens it was given:
 *
 * ```ts
 * new StaticTokenVerifier({ "dev-token": { scopes: ["read"], subject: "dev" } })
 * ```
 *
 * Tokens are looked up in a Map, never as properties of an object: a client
 * sending `__proto__` or `constructor` as its token must not find
 * `Object.prototype`'s members there.
 */
export class StaticTokenVerifier implements TokenVerifier {
  readonly #tokens = new Map<string, AccessToken>();

  constructor(
    tokens: Readonly<Record<string, StaticTokenGrant>> | ReadonlyMap<string, StaticTokenGrant>,
  ) {
    if (typeof tokens !== "object" || tokens === null || Array.isArray(tokens))
      throw new TypeError(
        `${OWNER}: give an object or a Map from token to grant, got ${describeValue(tokens)}`,
      );
    const entries = tokens instanceof Map ? [...tokens] : Object.entries(tokens);
    // The position, not the token, names a faulty entry: tokens are secrets.
    entries.forEach(([token, grant], index) => {
      const where = `${OWNER}: token #${index + 1}`;
      if (typeof token !== "string" || token === "")
        throw new TypeError(`${where}: a token must be a non-empty string`);
      if (typeof grant !== "object" || grant === null || Array.isArray(grant))
        throw new TypeError(`${where}: the grant must be an object, got ${describeValue(grant)}`);
      checkKnownKeys(grant, GRANT_KEYS, { owner: where });
      this.#tokens.set(token, grantToken(where, token, grant));
    });
  }

  verifyToken(token: string): AccessToken | null {
    const found = this.#tokens.get(token);
    if (found === undefined) return null;
    if (found.expiresAt !== undefined && found.expiresAt * 1000 <= Date.now()) return null;
    return found;
  }
}

function grantToken(where: string, token: string, grant: StaticTokenGrant): AccessToken {
  const scopes = scopeList(where, "scopes", grant.scopes ?? []);
  for (const name of ["subject", "clientId"] as const)
    if (grant[name] !== undefined && typeof grant[name] !== "string")
      throw new TypeError(`${where}: ${name} must be a string, got ${describeValue(grant[name])}`);
  if (grant.expiresAt !== undefined && !Number.isFinite(grant.expiresAt))
    throw new TypeError(`${where}: expiresAt must be seconds since the epoch`);
  const claims: unknown = grant.claims;
  if (claims !== undefined && (typeof claims !== "object" || claims === null))
    throw new TypeError(`${where}: claims must be an object, got ${describeValue(claims)}`);
  return Object.freeze({
    token,
    scopes: Object.freeze(scopes),
    subject: grant.subject,
    clientId: grant.clientId,
    expiresAt: grant.expiresAt,
    claims: Object.freeze({
      ...grant.claims,
      ...(grant.subject === undefined ? {} : { sub: grant.subject }),
      ...(grant.clientId === undefined ? {} : { client_id: grant.clientId }),
      ...(grant.expiresAt === undefined ? {} : { exp: grant.expiresAt }),
      scope: scopes.join(" "),
    }),
  });
}
