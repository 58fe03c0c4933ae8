// The `call-auth` workload's server side: with AUTH_PUBLIC_KEY set (by the
// harness, bench/src/bearer.ts), fastmcp-ts servers verify every request's
// bearer JWT with the JWTVerifier of fastmcp-ts/auth. Loaded only then, so
// other workloads and the cold start load none of it.

/** The server options that put a server behind the verifier, or none. */
export async function authOptions() {
  const publicKey = process.env.AUTH_PUBLIC_KEY;
  if (!publicKey) return {};
  const { JWTVerifier } = await import("../../dist/auth/index.js");
  const resourceServerUrl = process.env.AUTH_AUDIENCE;
  return {
    tokenVerifier: new JWTVerifier({
      publicKey,
      issuer: process.env.AUTH_ISSUER,
      audience: resourceServerUrl,
    }),
    auth: { issuerUrl: process.env.AUTH_ISSUER, resourceServerUrl, requiredScopes: ["mcp"] },
  };
}
