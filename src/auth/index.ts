/**
 * fastmcp-ts/auth: the token verifiers of an OAuth 2.1 resource server. A
 * subpath of its own so that a server without auth loads none of it, nor
 * jose (an optional peer dependency, needed here only).
 */
export { canonicalUri, sameResource } from "./canonical-uri.js";
export type { RevocationCheck } from "./claims.js";
export {
  IntrospectionVerifier,
  type IntrospectionVerifierOptions,
} from "./introspection-verifier.js";
export type { JWTAlgorithm } from "./jwt-keys.js";
export { JWTVerifier, type JWTVerifierOptions } from "./jwt-verifier.js";
export { anyOf, FirstMatchVerifier, MultiIssuerVerifier } from "./multi-issuer.js";
export { type StaticTokenGrant, StaticTokenVerifier } from "./static-verifier.js";
export type { AccessToken, AuthSettings, TokenVerifier } from "./types.js";
