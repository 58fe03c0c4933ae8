import type { JsonRpcResponse, RequestId } from "../protocol/jsonrpc.js";
import type { FastMCP } from "../server.js";
import { MemoryTransport } from "../transports/memory.js";
import { CliError, EXIT } from "./errors.js";

/** A JSON-RPC message the command sends: a request (with id) or a notification. */
export interface OutgoingMessage {
  readonly jsonrpc: "2.0";
  readonly id?: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/**
 * How `inspect` and `call` reach a server, below the protocol: one request
 * out, its response back. The protocol (eras, `_meta`, handshakes) lives in
 * session.ts, once, so a file and a URL are spoken to the same way.
 */
export interface Wire {
  /** What the user gave: the file or the URL, for messages. */
  readonly label: string;
  /**
   * Sends a message. A request resolves with its response, a notification
   * with undefined. `headers` are the HTTP headers the protocol asks for
   * (`MCP-Protocol-Version`, `Mcp-Method`, ...): an in-process wire has no
   * use for them.
   */
  send(
    message: OutgoingMessage,
    headers: Record<string, string>,
  ): Promise<JsonRpcResponse | undefined>;
  /** Ends the conversation (an HTTP session is deleted); never throws. */
  close(): Promise<void>;
}

/** A JSON-RPC error the server answered with. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.data = data;
  }
}

interface Waiting {
  resolve(response: JsonRpcResponse): void;
}

/**
 * A server loaded from a file, spoken to through an in-memory transport
 * pair: the same JSON-RPC, serialized, that a client over stdio would send,
 * through the same `connect()` path, so what `inspect` shows is what
 * clients see.
 */
export class MemoryWire implements Wire {
  readonly label: string;
  readonly #transport: MemoryTransport;
  readonly #waiting = new Map<RequestId, Waiting>();

  private constructor(label: string, transport: MemoryTransport) {
    this.label = label;
    this.#transport = transport;
    transport.onmessage = (message) => this.#receive(message);
  }

  static async connect(server: Pick<FastMCP, "connect">, label: string): Promise<MemoryWire> {
    const [clientSide, serverSide] = MemoryTransport.pair();
    const wire = new MemoryWire(label, clientSide);
    await clientSide.start();
    try {
      await server.connect(serverSide);
    } catch (error) {
      // A lifespan that throws: the server cannot start, which is the file's failure.
      throw new CliError(
        `${label}: the server failed to start: ${(error as Error)?.message ?? String(error)}`,
        EXIT.failure,
      );
    }
    return wire;
  }

  send(message: OutgoingMessage): Promise<JsonRpcResponse | undefined> {
    const id = message.id;
    if (id === undefined) return this.#transport.send(message).then(() => undefined);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve });
      this.#transport.send(message).catch((error: unknown) => {
        this.#waiting.delete(id);
        reject(error);
      });
    });
  }

  #receive(message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const { id, method } = message as { id?: RequestId; method?: unknown };
    if (typeof method === "string") {
      // The command declares no client capabilities, so a server should ask
      // nothing; if it does anyway, a refusal beats leaving it waiting.
      if (id !== undefined) void this.#transport.send(refusal(id, method)).catch(() => {});
      return;
    }
    if (id === undefined) return;
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    waiting?.resolve(message as JsonRpcResponse);
  }

  async close(): Promise<void> {
    await this.#transport.close().catch(() => {});
  }
}

/** The answer to a request the server sent the command, which it cannot fulfil. */
export function refusal(id: RequestId, method: string): object {
  return {
    jsonrpc: "2.0",
    id,
    error: { code: -32601, message: `fastmcp-ts cannot answer ${method} from the command line` },
  };
}
