import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "./node.js";

export interface ListeningServer {
  readonly server: Server;
  /** The URL the endpoint answers at. */
  readonly url: string;
  readonly port: number;
}

/** Starts a node:http server for the handler; resolves once it listens. */
export function listen(
  handler: NodeHandler,
  host: string,
  port: number,
  path: string,
): Promise<ListeningServer> {
  const server = createServer((req, res) => handler(req, res));
  // SSE streams stay open for long: never time them out server-side.
  server.requestTimeout = 0;
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
