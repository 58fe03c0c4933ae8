/**
 * Scopes per tool, resource and prompt, and what a token may do: a caller
 * sees only the components its token's scopes allow, and one that calls a
 * tool it may not use gets 403 `insufficient_scope` naming every scope the
 * call needs, so its client can re-authorize once (step-up). `whoami`
 * shows `ctx.auth`; revoked token ids are refused at once, cached or not.
 *
 *   AUTH_ISSUER=https://auth.example.com npx tsx examples/auth-scopes.ts
 *   AUTH_DEV_TOKENS=1 npx tsx examples/auth-scopes.ts   # no authorization server:
 *     curl -H "Authorization: Bearer dev-reader" ... (see devVerifier)
 */
import { z } from "zod";
import { JWTVerifier, StaticTokenVerifier } from "../src/auth/index.ts";
import { FastMCP, type TokenVerifier } from "../src/index.ts";

export interface AuthConfig {
  issuer: string;
  jwksUri: string;
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

/** Revoked token ids (`jti`). One process: a Set; several: Redis (docs/auth.md, "Revocation"). */
export const revoked = new Set<string>();

export function jwtVerifier(config: AuthConfig): JWTVerifier {
  return new JWTVerifier({
    jwksUri: config.jwksUri,
    issuer: config.issuer,
    audience: config.resourceServerUrl,
    // Asked on every request, for tokens the verifier remembers too.
    isRevoked: (claims) => revoked.has(String(claims.jti)),
  });
}

/** For trying the server without an authorization server. Never in production. */
export const devVerifier = new StaticTokenVerifier({
  "dev-reader": { scopes: ["files:read"], subject: "reader", clientId: "dev" },
  "dev-writer": { scopes: ["files:read", "files:write"], subject: "writer", clientId: "dev" },
});

export function createServer(
  config: AuthConfig = configFromEnv(),
  tokenVerifier: TokenVerifier = jwtVerifier(config),
): FastMCP {
  const files = new Map([
    ["notes.txt", "buy milk"],
    ["plan.md", "# Plan"],
  ]);
  const mcp = new FastMCP("FileServer", {
    tokenVerifier,
    auth: {
      issuerUrl: config.issuer,
      resourceServerUrl: config.resourceServerUrl,
      // No scope for every request; these are what clients may ask for.
      scopesSupported: ["files:read", "files:write"],
    },
  });

  mcp.tool("whoami", { description: "Who the token says you are." }, (_args, ctx) => ({
    subject: ctx.auth?.subject,
    client: ctx.auth?.clientId,
    scopes: ctx.auth?.scopes,
  }));

  mcp.tool(
    "read_file",
    { description: "Read a file.", scopes: ["files:read"], input: { name: z.string() } },
    ({ name }) => files.get(name) ?? `No file ${name}`,
  );

  mcp.tool(
    "delete_file",
    { description: "Delete a file.", scopes: ["files:write"], input: { name: z.string() } },
    ({ name }) => (files.delete(name) ? `Deleted ${name}` : `No file ${name}`),
  );

  mcp.resource(
    "files://{name}",
    {
      description: "A file's contents.",
      scopes: ["files:read"],
      list: () => [...files.keys()].map((name) => ({ params: { name }, name })),
    },
    ({ name }) => files.get(name) ?? `No file ${name}`,
  );

  return mcp;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = configFromEnv();
  const verifier = process.env.AUTH_DEV_TOKENS ? devVerifier : jwtVerifier(config);
  await createServer(config, verifier).run({
    transport: "streamable-http",
    host: "127.0.0.1",
    port: 8000,
  });
}
