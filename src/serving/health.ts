import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger.js";
import { StartError } from "../server/start-error.js";
import { normalizePath } from "../transports/http/settings.js";
import type { HealthOptions } from "./run-options.js";

/** A state store that may answer `ping()` (a Redis one; the in-memory ones have none). */
export interface Pingable {
  ping?(): Promise<void>;
}

export interface HealthParts {
  /** Whether the server has started and is not shutting down. */
  readonly serving: () => boolean;
  /** The stores readiness asks, by the option that names them. */
  readonly stores: readonly (readonly [name: string, store: Pingable | undefined])[];
  /** Whether a path belongs to the MCP endpoint, which health must never shadow. */
  readonly isMcpPath: (path: string) => boolean;
  readonly logger: Logger;
  readonly owner: string;
}

/** How long readiness waits for a store: below Kubernetes' default probe timeout (1 s). */
const PING_TIMEOUT_MS = 900;

const HEADERS = {
  "content-type": "application/json",
  "cache-control": "no-store",
} as const;
const OK = '{"status":"ok"}';

/**
 * `/healthz` (liveness: the process answers) and `/readyz` (readiness: the
 * server has started, is not shutting down, and every store that can fail
 * answers its `ping()`). Served in front of the MCP endpoint, without its
 * Host, Origin or auth checks: a probe comes from the orchestrator, with an
 * IP for a host, and learns nothing but ok or which part failed.
 */
export class Health {
  readonly livePath: string;
  readonly readyPath: string;
  readonly #parts: HealthParts;
  /** The failing parts last reported, so a store that stays down is logged once. */
  #lastFailing = "";

  constructor(option: true | HealthOptions, parts: HealthParts) {
    const given = option === true ? {} : option;
    this.livePath = normalizePath(given.path ?? "/healthz");
    this.readyPath = normalizePath(given.readyPath ?? "/readyz");
    this.#parts = parts;
    for (const [name, path] of [
      ["path", this.livePath],
      ["readyPath", this.readyPath],
    ] as const)
      if (parts.isMcpPath(path))
        throw new StartError(
          `${parts.owner} could not start: health.${name} ${path} is a path of the MCP endpoint; give the health check another path`,
        );
    if (this.livePath === this.readyPath)
      throw new StartError(
        `${parts.owner} could not start: health.path and health.readyPath are both ${this.livePath}; liveness and readiness need paths of their own`,
      );
  }

  /** The health path a request's URL names, or undefined (most requests: two comparisons). */
  match(url: string | undefined): string | undefined {
    if (url === this.livePath || url === this.readyPath) return url;
    if (url === undefined) return undefined;
    const query = url.indexOf("?");
    if (query === -1) return undefined;
    const path = url.slice(0, query);
    return path === this.livePath || path === this.readyPath ? path : undefined;
  }

  serve(path: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...HEADERS, allow: "GET, HEAD" });
      res.end('{"status":"method not allowed"}');
      return;
    }
    if (path === this.livePath) {
      send(req, res, 200, OK);
      return;
    }
    this.#ready().then(
      (failing) =>
        failing.length === 0
          ? send(req, res, 200, OK)
          : send(req, res, 503, JSON.stringify({ status: "unavailable", failing })),
      // #ready catches what stores throw; this is only for a bug of ours.
      (error: unknown) => {
        this.#parts.logger.error("The readiness check failed", error);
        send(req, res, 500, '{"status":"error"}');
      },
    );
  }

  /** The parts that are not ready: "server", or a store's option name. */
  async #ready(): Promise<string[]> {
    const { serving, stores, logger } = this.#parts;
    const failing: string[] = [];
    const reasons: unknown[] = [];
    if (!serving()) failing.push("server");
    await Promise.all(
      stores.map(async ([name, store]) => {
        if (typeof store?.ping !== "function") return;
        try {
          await withTimeout(store.ping(), name);
        } catch (error) {
          failing.push(name);
          reasons.push(error);
        }
      }),
    );
    const key = failing.join(",");
    if (key !== this.#lastFailing) {
      if (failing.length > 0) logger.warn(`Not ready: ${failing.join(", ")}`, ...reasons);
      else if (this.#lastFailing !== "") logger.info("Ready again");
      this.#lastFailing = key;
    }
    return failing;
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { ...HEADERS, "content-length": String(Buffer.byteLength(body)) });
  res.end(req.method === "HEAD" ? undefined : body);
}

function withTimeout(ping: Promise<void>, name: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}.ping() did not answer within ${PING_TIMEOUT_MS} ms`)),
      PING_TIMEOUT_MS,
    );
  });
  return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
}
