import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "./node.js";

export interface ListeningServer {
  readonly server: Server;
  /** The URL the endpoint answers at. */
  readonly url: string;
  readonly port: number;
}

/** How long a request may take to arrive: its headers, then its body (`HttpSettings`). */
export interface ArrivalTimeouts {
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

/** Starts a node:http server for the handler; resolves once it listens. */
export async function listen(
  handler: NodeHandler,
  host: string,
  port: number,
  path: string,
  { headersTimeoutMs, bodyTimeoutMs }: ArrivalTimeouts,
): Promise<ListeningServer> {
  // Imported here, not at the top: this file is in the root bundle, which must load where
  // node:http does not exist (Workers without nodejs_compat).
  const { createServer } = await import("node:http");
  const server = createServer(
    {
      // Past it node:http answers a bare 408 and closes the connection.
      headersTimeout: headersTimeoutMs,
      // node:http's deadline for a whole request to arrive; it stops counting
      // once the request is in, so response streams (SSE) are never cut by it.
      // The endpoint answers a slow body itself (408 after bodyTimeoutMs from
      // its headers, before this); this one catches bodies the endpoint never
      // reads (another path, a 415), which node:http would otherwise drain
      // for as long as the client keeps sending.
      requestTimeout: headersTimeoutMs + bodyTimeoutMs,
      // How often node:http looks for those deadlines: by default every 30 s,
      // which would let a 10 s header deadline run to 40.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => handler(req, res),
  );
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        server,
        port: address.port,
        url: `http://${shownHost}:${address.port}${path === "/" ? "" : path}`,
      });
    });
  });
}

/** Stops accepting connections; open ones are closed once idle, or forcibly by the caller. */
export function stopAccepting(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
