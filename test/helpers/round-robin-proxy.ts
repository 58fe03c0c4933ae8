/**
 * A load balancer in miniature for tests: each request goes to the next
 * backend in turn, whatever session it belongs to (no stickiness), with its
 * method, headers and body; the response streams back as it comes (SSE
 * included). Every request is recorded with the backend that served it.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Routed {
  readonly http: string;
  /** The JSON-RPC method, or "response" for a client's answer, for POSTs. */
  readonly rpc: string | undefined;
  readonly backend: number;
}

export interface RoundRobinProxy {
  readonly url: string;
  readonly log: Routed[];
  /** Backends taken out of the rotation (a process that was killed). */
  readonly down: Set<number>;
  close(): Promise<void>;
}

export async function roundRobinProxy(
  backends: readonly number[],
  path = "/mcp",
): Promise<RoundRobinProxy> {
  const log: Routed[] = [];
  const down = new Set<number>();
  let next = 0;
  const pick = (): number => {
    for (let tries = 0; tries < backends.length; tries++) {
      const index = next++ % backends.length;
      if (!down.has(index)) return index;
    }
    throw new Error("every backend is down");
  };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const backend = pick();
    log.push({ http: req.method ?? "", rpc: rpcOf(body), backend });
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: backends[backend],
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
        // The client left: so does the upstream stream.
        res.on("close", () => answer.destroy());
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    log,
    down,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function rpcOf(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const message = JSON.parse(body.toString("utf8")) as { method?: unknown; id?: unknown };
    if (typeof message.method === "string") return message.method;
    return message.id === undefined ? undefined : "response";
  } catch {
    return undefined;
  }
}
