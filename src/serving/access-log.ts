import type { IncomingMessage, ServerResponse } from "node:http";
import { type Logger, SAID_IN_MESSAGE } from "../logger.js";
import type { NodeExchange } from "../transports/http/node.js";

/** The field that names a method's target, by method. */
const TARGET_FIELD: ReadonlyMap<string, string> = new Map([
  ["tools/call", "tool"],
  ["prompts/get", "prompt"],
  ["resources/read", "resource"],
]);

/**
 * One line per HTTP request under `run()`: method, path (never the query,
 * where tokens sometimes travel), status, duration, the JSON-RPC method and
 * its tool, prompt or resource, and the start of a legacy session id. No
 * header value, so never a token.
 *
 * The line is written when the response closes, finished or cut: a stream
 * (SSE) is logged once, with its whole duration and whether the client went
 * away, rather than at its head, when neither is known.
 *
 * Made only when the line would be written (`accessLog` not false, the level
 * at info or below), so a server without it pays nothing per request.
 */
export class AccessLog {
  readonly #logger: Logger;
  /** Health probes are logged at debug, and only when debug is on. */
  readonly #probes: boolean;

  constructor(logger: Logger, probes: boolean) {
    this.#logger = logger;
    this.#probes = probes;
  }

  /** Follows one request; `ex` carries what the endpoint learnt of the message. */
  watch(req: IncomingMessage, res: ServerResponse, ex: NodeExchange): void {
    const start = performance.now();
    res.on("close", () => this.#write(req, res, ex.pathname, ex, start, false));
  }

  /** Follows one health probe, if probes are logged at all. */
  watchProbe(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (!this.#probes) return;
    const start = performance.now();
    res.on("close", () => this.#write(req, res, path, undefined, start, true));
  }

  #write(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    ex: NodeExchange | undefined,
    start: number,
    probe: boolean,
  ): void {
    const durationMs = Math.round((performance.now() - start) * 10) / 10;
    const method = req.method ?? "GET";
    const status = res.statusCode;
    const fields: Record<string | symbol, unknown> = {
      method,
      path: shown(path),
      status,
      durationMs,
      [SAID_IN_MESSAGE]: true,
    };
    let text = `${method} ${fields.path} ${status} ${durationMs}ms`;
    const mcpMethod = ex?.mcpMethod;
    if (mcpMethod !== undefined) {
      const name = shown(mcpMethod);
      fields.mcpMethod = name;
      text += ` ${name}`;
      const field = TARGET_FIELD.get(mcpMethod);
      const target = ex?.mcpTarget;
      if (field !== undefined && target !== undefined) {
        fields[field] = shown(target);
        text += ` ${fields[field]}`;
      }
    }
    const session = sessionOf(req, ex);
    if (session !== undefined) {
      fields.session = session;
      text += ` session=${session}`;
    }
    if (!res.writableFinished) {
      fields.clientClosed = true;
      text += " (the client went away)";
    }
    if (probe) this.#logger.debug(text, fields);
    else this.#logger.info(text, fields);
  }
}

/**
 * The first 8 characters of the legacy session id, from the request or, for
 * `initialize`, the one it opened. Enough to follow a session through the log;
 * not the whole id, which lets whoever holds it act in the session of a
 * server without auth, and logs travel further than the server.
 */
function sessionOf(req: IncomingMessage, ex: NodeExchange | undefined): string | undefined {
  const id = req.headers["mcp-session-id"] ?? ex?.mcpSession;
  return typeof id === "string" && id !== "" ? shown(id.slice(0, 8)) : undefined;
}

/**
 * A client's string as the log may show it: cut at 100 characters, and
 * quoted (escaped) unless plain printable ASCII, so a tool name with a line
 * break cannot forge a line of its own.
 */
function shown(value: string): string {
  if (value.length <= 100 && /^[\x21-\x7e]*$/.test(value)) return value;
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
