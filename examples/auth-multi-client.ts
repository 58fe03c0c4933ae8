/**
 * Two protected servers in one Express application, one per kind of client:
 * the twin of the Python guide's "Multi-Client Authentication (OpenAI +
 * Claude)".
 *
 * - `/openai`: a strict verifier. ChatGPT's connector does OAuth itself and
 *   asks for a token for this server (RFC 8707 `resource`), so the token's
 *   audience and its `resource` claim must both be this server's URL.
 * - `/claude`: a flexible verifier for tokens obtained beforehand: either
 *   audience, this server's URL or the API's identifier, is accepted.
 *
 * Each server has its own auth settings, so its own protected resource
 * metadata, routed at its path-inserted well-known URL
 * (`/.well-known/oauth-protected-resource/openai`): Express strips the mount
 * prefix, so the canonical metadata URL needs a route of its own.
 *
 *   AUTH_ISSUER=https://auth.example.com npx tsx examples/auth-multi-client.ts
 */
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { JWTVerifier } from "../src/auth/index.ts";
import { FastMCP } from "../src/index.ts";

export interface MultiClientConfig {
  /** The authorization server's issuer identifier. */
  issuer: string;
  jwksUri: string;
  /** The audience of tokens obtained for the API rather than this server. */
  apiAudience: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): MultiClientConfig {
  const issuer = env.AUTH_ISSUER ?? "https://auth.example.com";
  return {
    issuer,
    jwksUri: env.AUTH_JWKS_URI ?? `${issuer}/jwks`,
    apiAudience: env.API_AUDIENCE ?? "https://api.example.com",
  };
}

/** Both servers, for the public base URL `base` (the one clients use: behind a proxy, the proxy's). */
export function createServers(base: string, config: MultiClientConfig) {
  const openaiUrl = `${base}/openai`;
  const claudeUrl = `${base}/claude`;

  const openai = new FastMCP("OpenAI_Server", {
    // The endpoint is the mount point itself: clients are given `<base>/openai`.
    streamableHttpPath: "/",
    tokenVerifier: new JWTVerifier({
      jwksUri: config.jwksUri,
      issuer: config.issuer,
      audience: openaiUrl,
      // The guide's `claims.get("resource") != ...` check.
      resource: openaiUrl,
    }),
    auth: { issuerUrl: config.issuer, resourceServerUrl: openaiUrl },
  });

  const claude = new FastMCP("Claude_Server", {
    streamableHttpPath: "/",
    tokenVerifier: new JWTVerifier({
      jwksUri: config.jwksUri,
      issuer: config.issuer,
      audience: [claudeUrl, config.apiAudience],
    }),
    auth: { issuerUrl: config.issuer, resourceServerUrl: claudeUrl },
  });

  for (const [mcp, name] of [
    [openai, "openai"],
    [claude, "claude"],
  ] as const)
    mcp.tool("whoami", { description: "Which server answered, for whom." }, (_args, ctx) => ({
      server: name,
      subject: ctx.auth?.subject,
      audience: ctx.auth?.audience,
    }));

  return { openai, claude };
}

export function createApp(servers: { openai: FastMCP; claude: FastMCP }): express.Express {
  const app = express();
  app.use("/openai", servers.openai.nodeHandler());
  app.use("/claude", servers.claude.nodeHandler());
  // RFC 9728 path insertion: each server's metadata at the host's root.
  app.get("/.well-known/oauth-protected-resource/openai", servers.openai.nodeHandler());
  app.get("/.well-known/oauth-protected-resource/claude", servers.claude.nodeHandler());
  return app;
}

export interface RunningApp {
  base: string;
  openai: FastMCP;
  claude: FastMCP;
  stop(): Promise<void>;
}

/**
 * Listens first, so that with `port` 0 the URLs (which the servers' resource
 * URLs and audiences are made of) name the port actually taken.
 */
export async function start(
  port = 8000,
  config: MultiClientConfig = configFromEnv(),
  publicBase?: string,
): Promise<RunningApp> {
  const http: Server = createHttpServer();
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  const base = publicBase ?? `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const servers = createServers(base, config);
  http.on("request", createApp(servers));
  return {
    base,
    ...servers,
    async stop() {
      await Promise.all([servers.openai.close(), servers.claude.close()]);
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = await start(8000, configFromEnv(), process.env.PUBLIC_BASE_URL);
  console.error(`OpenAI clients: ${app.base}/openai, Claude: ${app.base}/claude`);
  process.once("SIGINT", () => void app.stop());
}
