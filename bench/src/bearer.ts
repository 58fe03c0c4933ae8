/**
 * The bearer token of the `call-auth` workload: an RS256 key pair made for
 * this run, the public key handed to the server (AUTH_PUBLIC_KEY), and one
 * JWT signed with it that every request carries. RS256 because it is what
 * most identity providers sign with.
 */
import { exportSPKI, generateKeyPair, SignJWT } from "jose";

export const BEARER_ISSUER = "https://auth.bench.example";
export const BEARER_AUDIENCE = "https://mcp.bench.example/mcp";

const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });

export const BEARER_PUBLIC_KEY = await exportSPKI(publicKey);

export const BEARER_TOKEN = await new SignJWT({ scope: "mcp tools", client_id: "bench" })
  .setProtectedHeader({ alg: "RS256", kid: "bench" })
  .setIssuer(BEARER_ISSUER)
  .setAudience(BEARER_AUDIENCE)
  .setSubject("bench-user")
  .setIssuedAt()
  .setExpirationTime("2h")
  .sign(privateKey);

/** What a server started for the workload is told (bench/servers/auth.mjs reads it). */
export const BEARER_ENV: Readonly<Record<string, string>> = {
  AUTH_PUBLIC_KEY: BEARER_PUBLIC_KEY,
  AUTH_ISSUER: BEARER_ISSUER,
  AUTH_AUDIENCE: BEARER_AUDIENCE,
};
