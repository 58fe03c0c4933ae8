import type { AccessToken } from "./types.js";

/**
 * Whom a legacy session belongs to, as stored with it: the token's issuer,
 * subject and client, never the token itself (session stores may be shared,
 * Redis). A request with another principal's token is refused the session as
 * if it did not exist. A verifier that states no identity binds nothing
 * beyond "holds a valid token". Undefined without authentication.
 */
export function sessionPrincipal(auth: unknown): string | undefined {
  if (auth === undefined || auth === null || typeof auth !== "object") return undefined;
  const { issuer, subject, clientId } = auth as Partial<AccessToken>;
  return JSON.stringify([issuer ?? null, subject ?? null, clientId ?? null]);
}
