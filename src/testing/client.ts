import { McpError } from "../protocol/errors.js";
import type { JsonRpcMessage, RequestId } from "../protocol/jsonrpc.js";
import {
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
} from "../protocol/meta.js";
import type {
  CallToolResult,
  ClientCapabilities,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  PromptDefinition,
  ReadResourceResult,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
} from "../protocol/types.js";
import {
  type Era,
  LATEST_LEGACY_VERSION,
  LATEST_MODERN_VERSION,
  type ProtocolVersion,
} from "../protocol/versions.js";
import type { FastMCP } from "../server.js";
import { MemoryTransport } from "../transports/memory.js";

export interface TestClientOptions {
  /** Which protocol era to speak. Default "legacy" (initialize handshake). */
  era?: Era;
  /** Default: the latest version of the era. */
  protocolVersion?: ProtocolVersion;
  capabilities?: ClientCapabilities;
  clientInfo?: Implementation;
  /** Modern era: the log level sent in every request's `_meta` (none: no log messages). */
  logLevel?: LoggingLevel;
}

export interface CallOptions {
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: unknown) => void;
  onProgress?: CallOptions["onProgress"];
}

type Notification = { method: string; params?: Record<string, unknown> };

/**
 * An in-process MCP client for users' tests: a full protocol round trip
 * (serialized like a real wire) without a subprocess or a socket.
 */
export class TestClient {
  /** Every notification the server sent, in order. */
  readonly notifications: Notification[] = [];
  /** Server info and capabilities from initialize (legacy) or server/discover (modern). */
  serverInfo: Implementation | undefined;
  capabilities: Record<string, unknown> = {};
  instructions: string | undefined;
  readonly #transport: MemoryTransport;
  readonly #pending = new Map<RequestId, Pending>();
  readonly #options: Required<Omit<TestClientOptions, "logLevel">> & { logLevel?: LoggingLevel };
  #nextId = 1;

  private constructor(transport: MemoryTransport, options: TestClientOptions) {
    const era = options.era ?? "legacy";
    this.#transport = transport;
    this.#options = {
      era,
      protocolVersion:
        options.protocolVersion ??
        (era === "modern" ? LATEST_MODERN_VERSION : LATEST_LEGACY_VERSION),
      capabilities: options.capabilities ?? {},
      clientInfo: options.clientInfo ?? { name: "fastmcp-ts-test-client", version: "1.0.0" },
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    };
    transport.onmessage = (message) => this.#receive(message as JsonRpcMessage);
  }

  /** Connects to `server` and performs the era's opening (initialize or server/discover). */
  static async connect<L>(
    server: FastMCP<L>,
    options: TestClientOptions = {},
  ): Promise<TestClient> {
    const [clientSide, serverSide] = MemoryTransport.pair();
    const client = new TestClient(clientSide, options);
    await clientSide.start();
    await server.connect(serverSide);
    await client.#open();
    return client;
  }

  get era(): Era {
    return this.#options.era;
  }

  async #open(): Promise<void> {
    if (this.#options.era === "legacy") {
      const result = await this.request("initialize", {
        protocolVersion: this.#options.protocolVersion,
        capabilities: this.#options.capabilities,
        clientInfo: this.#options.clientInfo,
      });
      await this.notify("notifications/initialized");
      this.serverInfo = result.serverInfo as Implementation;
      this.capabilities = result.capabilities as Record<string, unknown>;
      this.instructions = result.instructions as string | undefined;
    } else {
      const result = await this.request("server/discover", {});
      this.serverInfo = (result._meta as Record<string, unknown> | undefined)?.[
        "io.modelcontextprotocol/serverInfo"
      ] as Implementation | undefined;
      this.capabilities = result.capabilities as Record<string, unknown>;
      this.instructions = result.instructions as string | undefined;
    }
  }

  /** Sends a request and resolves with its result; a JSON-RPC error rejects as `McpError`. */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const meta: Record<string, unknown> = {
      ...(params._meta as Record<string, unknown> | undefined),
    };
    if (this.#options.era === "modern") {
      meta[META_PROTOCOL_VERSION] = this.#options.protocolVersion;
      meta[META_CLIENT_CAPABILITIES] = this.#options.capabilities;
      meta[META_CLIENT_INFO] = this.#options.clientInfo;
      if (this.#options.logLevel) meta[META_LOG_LEVEL] = this.#options.logLevel;
    }
    if (options.onProgress) meta.progressToken = id;
    const message = {
      jsonrpc: "2.0" as const,
      id,
      method,
      params: Object.keys(meta).length > 0 ? { ...params, _meta: meta } : params,
    };
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      if (options.onProgress) pending.onProgress = options.onProgress;
      this.#pending.set(id, pending);
      options.signal?.addEventListener(
        "abort",
        () => {
          if (!this.#pending.delete(id)) return;
          void this.notify("notifications/cancelled", {
            requestId: id,
            reason: String(options.signal?.reason),
          });
          reject(options.signal?.reason);
        },
        { once: true },
      );
      this.#transport.send(message).catch(reject);
    });
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.#transport.send(
      params ? { jsonrpc: "2.0", method, params } : { jsonrpc: "2.0", method },
    );
  }

  /** Every page of a list method, concatenated. */
  async #all<T>(method: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request(method, cursor ? { cursor } : {});
      items.push(...(page[key] as T[]));
      cursor = page.nextCursor as string | undefined;
    } while (cursor);
    return items;
  }

  listTools(): Promise<ToolDefinition[]> {
    return this.#all("tools/list", "tools");
  }

  listResources(): Promise<ResourceDefinition[]> {
    return this.#all("resources/list", "resources");
  }

  listResourceTemplates(): Promise<ResourceTemplateDefinition[]> {
    return this.#all("resources/templates/list", "resourceTemplates");
  }

  async readResource(uri: string): Promise<ReadResourceResult> {
    return (await this.request("resources/read", { uri })) as unknown as ReadResourceResult;
  }

  listPrompts(): Promise<PromptDefinition[]> {
    return this.#all("prompts/list", "prompts");
  }

  async getPrompt(name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    const result = await this.request("prompts/get", { name, arguments: args });
    return result as unknown as GetPromptResult;
  }

  /** `completion/complete` for a prompt argument (`{ prompt }`) or a template parameter (`{ uriTemplate }`). */
  async complete(
    ref: { prompt: string } | { uriTemplate: string },
    argument: string,
    value: string,
    given: Record<string, string> = {},
  ): Promise<{ values: string[]; total?: number; hasMore?: boolean }> {
    const result = await this.request("completion/complete", {
      ref:
        "prompt" in ref
          ? { type: "ref/prompt", name: ref.prompt }
          : { type: "ref/resource", uri: ref.uriTemplate },
      argument: { name: argument, value },
      context: { arguments: given },
    });
    return result.completion as { values: string[]; total?: number; hasMore?: boolean };
  }

  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const result = await this.request("tools/call", { name, arguments: args }, options);
    return result as unknown as CallToolResult;
  }

  async close(): Promise<void> {
    for (const pending of this.#pending.values()) pending.reject(new Error("Client closed"));
    this.#pending.clear();
    await this.#transport.close();
  }

  #receive(message: JsonRpcMessage): void {
    if ("method" in message) {
      const notification = message as Notification;
      this.notifications.push(notification);
      if (notification.method === "notifications/progress") {
        const { progressToken, ...progress } = notification.params ?? {};
        this.#pending
          .get(progressToken as RequestId)
          ?.onProgress?.(progress as { progress: number; total?: number; message?: string });
      }
      return;
    }
    const id = (message as { id?: RequestId }).id;
    if (id === undefined) return;
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if ("error" in message) {
      pending.reject(new McpError(message.error.code, message.error.message, message.error.data));
    } else pending.resolve(message.result);
  }
}

/** Connects an in-process test client to `server` (see `TestClient`). */
export function createTestClient<L>(
  server: FastMCP<L>,
  options?: TestClientOptions,
): Promise<TestClient> {
  return TestClient.connect(server, options);
}
