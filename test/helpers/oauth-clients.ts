/**
 * For the OAuth flow tests: a loopback HTTP server whose port is known before
 * the MCP server is built (its `resourceServerUrl` names the port), a log of
 * what reached it, and the official clients connected with an auth provider.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AuthProvider,
  StreamableHTTPClientTransport as V2Http,
  type OAuthClientProvider as V2OAuthProvider,
} from "@modelcontextprotocol/client";
import type { OAuthClientProvider as V1OAuthProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type V2Mode, v1Client, v2Client } from "./clients.ts";

/** One request that reached the loopback server, with what the tests look at. */
export interface SeenRequest {
  readonly method: string;
  /** The full path, as the client sent it (before any mount strips a prefix). */
  readonly path: string;
  status: number;
  readonly bearer: boolean;
  readonly protocolVersion: string | undefined;
  readonly sessionId: string | undefined;
  wwwAuthenticate: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Loopback {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly seen: SeenRequest[];
  /** Sets what answers requests: the port is known before the app is built. */
  use(handler: Handler): void;
  close(): Promise<void>;
}

/** `WWW-Authenticate` as written: set on the response, or given to writeHead (an object or a flat list). */
function challengeOf(res: ServerResponse, headers: unknown): string | undefined {
  const set = res.getHeader("www-authenticate");
  if (set !== undefined) return String(set);
  if (Array.isArray(headers)) {
    const at = headers.findIndex(
      (value, i) => i % 2 === 0 && String(value).toLowerCase() === "www-authenticate",
    );
    return at === -1 ? undefined : String(headers[at + 1]);
  }
  if (typeof headers !== "object" || headers === null) return undefined;
  const found = Object.entries(headers).find(([name]) => name.toLowerCase() === "www-authenticate");
  return found === undefined ? undefined : String(found[1]);
}

export async function listenLoopback(): Promise<Loopback> {
  const seen: SeenRequest[] = [];
  let handler: Handler = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const entry: SeenRequest = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] as string,
      status: 0,
      bearer: /^bearer /i.test(header("authorization") ?? ""),
      protocolVersion: header("mcp-protocol-version"),
      sessionId: header("mcp-session-id"),
      wwwAuthenticate: undefined,
    };
    seen.push(entry);
    // Headers are read when they are written: SSE responses finish much later.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      const result = writeHead(...args);
      entry.status = res.statusCode;
      entry.wwwAuthenticate = challengeOf(res, args.at(-1));
      return result;
    }) as typeof res.writeHead;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    use: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The v1 client over Streamable HTTP with an OAuth provider (and any other transport options). */
export async function v1OAuth(
  url: string,
  options: ConstructorParameters<typeof V1Http>[1] & { authProvider?: V1OAuthProvider },
) {
  const transport = new V1Http(new URL(url), options);
  const client = v1Client({});
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

/** The v2 client in `mode` over Streamable HTTP with an auth provider: OAuth or a plain token source. */
export async function v2OAuth(
  url: string,
  mode: V2Mode,
  authProvider: AuthProvider | V2OAuthProvider,
) {
  const transport = new V2Http(new URL(url), { authProvider });
  const client = v2Client(mode, {});
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

/** The first text block of a tool result. */
export function text(result: unknown): string | undefined {
  const first = (result as { content?: { type: string; text?: string }[] }).content?.[0];
  return first?.type === "text" ? first.text : undefined;
}
