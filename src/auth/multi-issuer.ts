/**
 * Verifiers made of verifiers: one per issuer, chosen by the token's `iss`
 * (a server trusting several authorization servers, or one moving from an
 * old to a new one), or several tried in turn (JWTs and opaque tokens side
 * by side, a static token for a health check).
 */
import { decodeJwt } from "jose";
import { describeValue } from "../util/known-keys.js";
import type { AccessToken, TokenVerifier } from "./types.js";

function checkVerifier(owner: string, where: string, value: unknown): TokenVerifier {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as TokenVerifier).verifyToken !== "function"
  )
    throw new TypeError(
      `${owner}: ${where} must be a TokenVerifier (an object with verifyToken), got ${describeValue(value)}`,
    );
  return value as TokenVerifier;
}

/**
 * Accepts JWTs from several issuers, each verified by its own verifier:
 *
 * ```ts
 * new MultiIssuerVerifier({
 *   "https://a.example": new JWTVerifier({ issuer: "https://a.example", … }),
 *   "https://b.example": new JWTVerifier({ issuer: "https://b.example", … }),
 * })
 * ```
 *
 * The token's `iss` is read without verifying anything, and only to choose:
 * the chosen verifier checks the signature and the issuer again, so a token
 * that lies about its issuer meets a verifier whose keys did not sign it.
 * A token that is not a JWT, or names no configured issuer, is invalid
 * (`null`). Issuers compare exactly, as OAuth issuer identifiers do.
 */
export class MultiIssuerVerifier implements TokenVerifier {
  readonly #byIssuer = new Map<string, TokenVerifier>();

  constructor(
    verifiers: Readonly<Record<string, TokenVerifier>> | ReadonlyMap<string, TokenVerifier>,
  ) {
    const owner = "MultiIssuerVerifier";
    if (typeof verifiers !== "object" || verifiers === null || Array.isArray(verifiers))
      throw new TypeError(
        `${owner}: give an object or a Map from issuer to verifier, got ${describeValue(verifiers)}`,
      );
    const entries = verifiers instanceof Map ? [...verifiers] : Object.entries(verifiers);
    if (entries.length === 0) throw new TypeError(`${owner}: give at least one issuer`);
    for (const [issuer, verifier] of entries)
      this.#byIssuer.set(issuer, checkVerifier(owner, `the verifier of "${issuer}"`, verifier));
  }

  async verifyToken(token: string): Promise<AccessToken | null> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return null;
    }
    // A Map, not an object lookup: an `iss` of "__proto__" finds nothing.
    const verifier = typeof issuer === "string" ? this.#byIssuer.get(issuer) : undefined;
    if (verifier === undefined) return null;
    return (await verifier.verifyToken(token)) ?? null;
  }
}

/**
 * Tries verifiers in turn; the first that accepts the token wins. A
 * verifier that throws (its endpoint down) does not stop the others: when
 * one of them accepts, that is the answer; when none does, the first error
 * is thrown (the token could not be checked by the verifier that might
 * have accepted it), and only when none threw is the token invalid (`null`).
 */
export class FirstMatchVerifier implements TokenVerifier {
  readonly #verifiers: readonly TokenVerifier[];

  constructor(verifiers: readonly TokenVerifier[]) {
    const owner = "FirstMatchVerifier";
    if (!Array.isArray(verifiers) || verifiers.length === 0)
      throw new TypeError(
        `${owner}: give a non-empty array of verifiers, got ${describeValue(verifiers)}`,
      );
    this.#verifiers = verifiers.map((verifier, index) =>
      checkVerifier(owner, `verifier #${index + 1}`, verifier),
    );
  }

  async verifyToken(token: string): Promise<AccessToken | null> {
    let failure: { error: unknown } | undefined;
    for (const verifier of this.#verifiers) {
      try {
        const accepted = await verifier.verifyToken(token);
        if (accepted != null) return accepted;
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
    return null;
  }
}

/** `new FirstMatchVerifier([...verifiers])`: the first verifier that accepts a token wins. */
export function anyOf(...verifiers: TokenVerifier[]): FirstMatchVerifier {
  return new FirstMatchVerifier(verifiers);
}
