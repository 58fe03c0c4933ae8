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
  /**
   * Answers the server's `elicitation/create` (declares `elicitation` unless
   * `capabilities` is given). Both eras: a legacy request is answered, a
   * 2026-07-28 `input_required` round is fulfilled and the request retried.
   */
  onElicit?: InputHandler;
  /** Answers `sampling/createMessage` (declares `sampling`). */
  onSample?: InputHandler;
  /** Answers `roots/list` (declares `roots`). */
  onListRoots?: InputHandler;
}

/** Receives the request's params; returns the result (`ElicitResult`, `CreateMessageResult`, `ListRootsResult`). */
export type InputHandler = (
  params: Record<string, unknown>,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** How many 2026-07-28 rounds one request may take, as the official clients allow. */
const MAX_ROUNDS = 10;

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
  readonly #options: Required<
    Omit<TestClientOptions, "logLevel" | "onElicit" | "onSample" | "onListRoots">
  > & { logLevel?: LoggingLevel };
  readonly #answers: ReadonlyMap<string, InputHandler>;
  #nextId = 1;

  private constructor(transport: MemoryTransport, options: TestClientOptions) {
    const era = options.era ?? "legacy";
    this.#transport = transport;
    this.#options = {
      era,
      protocolVersion:
        options.protocolVersion ??
        (era === "modern" ? LATEST_MODERN_VERSION : LATEST_LEGACY_VERSION),
      capabilities: options.capabilities ?? declared(options),
      clientInfo: options.clientInfo ?? { name: "fastmcp-ts-test-client", version: "1.0.0" },
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    };
    const answers = new Map<string, InputHandler>();
    if (options.onElicit) answers.set("elicitation/create", options.onElicit);
    if (options.onSample) answers.set("sampling/createMessage", options.onSample);
    if (options.onListRoots) answers.set("roots/list", options.onListRoots);
    this.#answers = answers;
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

  /**
   * Sends a request and resolves with its result; a JSON-RPC error rejects as
   * `McpError`. A 2026-07-28 `input_required` result is fulfilled with the
   * `onElicit`/`onSample`/`onListRoots` answers and the request retried.
   */
  async request(
    method: string,
    params: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    let result = await this.#send(method, params, options);
    for (let round = 1; result.resultType === "input_required"; round++) {
      if (round > MAX_ROUNDS) {
        throw new Error(`${method} still required input after ${MAX_ROUNDS} rounds`);
      }
      const requests = (result.inputRequests ?? {}) as Record<
        string,
        { method: string; params?: Record<string, unknown> }
      >;
      const inputResponses: Record<string, unknown> = {};
      for (const [key, input] of Object.entries(requests)) {
        inputResponses[key] = await this.#answer(input.method, input.params ?? {});
      }
      const retry: Record<string, unknown> = { ...params, inputResponses };
      if (typeof result.requestState === "string") retry.requestState = result.requestState;
      result = await this.#send(method, retry, options);
    }
    return result;
  }

  #answer(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = this.#answers.get(method);
    if (!answer) {
      return Promise.reject(
        new McpError(
          -32601,
          `The test client has no answer for ${method}; pass the matching on... option`,
        ),
      );
    }
    return Promise.resolve(answer(params));
  }

  #send(
    method: string,
    params: Record<string, unknown>,
    options: CallOptions,
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
    if ("method" in message && "id" in message) {
      void this.#respond(message.id, message.method, message.params ?? {});
      return;
    }
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
  /** Legacy era: answers the server's request, or tells it that there is no answer. */
  async #respond(id: RequestId, method: string, params: Record<string, unknown>): Promise<void> {
    let reply: object;
    try {
      reply = { jsonrpc: "2.0", id, result: await this.#answer(method, params) };
    } catch (error) {
      const code = error instanceof McpError ? error.code : -32603;
      reply = { jsonrpc: "2.0", id, error: { code, message: (error as Error).message } };
    }
    await this.#transport.send(reply).catch(() => undefined);
  }
}

function declared(options: TestClientOptions): ClientCapabilities {
  const capabilities: ClientCapabilities = {};
  if (options.onElicit) capabilities.elicitation = { form: {}, url: {} };
  if (options.onSample) capabilities.sampling = {};
  if (options.onListRoots) capabilities.roots = {};
  return capabilities;
}

/** Connects an in-process test client to `server` (see `TestClient`). */
export function createTestClient<L>(
  server: FastMCP<L>,
  options?: TestClientOptions,
): Promise<TestClient> {
  return TestClient.connect(server, options);
}
