import { componentHandle } from "./components/handle.js";
import {
  Prompt,
  type PromptHandle,
  type PromptHandler,
  type PromptOptions,
  type PromptUpdate,
} from "./components/prompt.js";
import { messagesForVersion } from "./components/prompt-result.js";
import { ComponentRegistry } from "./components/registry.js";
import {
  type AnyResourceHandler,
  Resource,
  type ResourceHandle,
  type ResourceHandler,
  type ResourceOptionsFor,
  type ResourceUpdate,
} from "./components/resource.js";
import { ResourceResolver } from "./components/resource-resolver.js";
import { ResourceTemplate } from "./components/resource-template.js";
import {
  Tool,
  type ToolHandle,
  type ToolHandler,
  type ToolOptions,
  type ToolUpdate,
} from "./components/tool.js";
import { Context } from "./context.js";
import type { CacheHints, ResolvedSettings, ServerCore } from "./core.js";
import { hasCompleters } from "./handlers/completion.js";
import { methodTable } from "./handlers/index.js";
import { readResource } from "./handlers/resources.js";
import { type Logger, type LogLevelName, parseLogLevel, stderrLogger } from "./logger.js";
import type { FastMCPOptions, Lifespan } from "./options.js";
import { Engine } from "./protocol/engine.js";
import type { Envelope } from "./protocol/envelope.js";
import { McpError } from "./protocol/errors.js";
import { ErrorCode, type JsonRpcResponse } from "./protocol/jsonrpc.js";
import type { Middleware } from "./protocol/middleware.js";
import { detachedScope, type RequestScope } from "./protocol/scope.js";
import type {
  CallToolResult,
  GetPromptResult,
  Implementation,
  ReadResourceResult,
} from "./protocol/types.js";
import { LATEST_LEGACY_VERSION } from "./protocol/versions.js";
import type { SchemaShape, SchemaSpec } from "./schema/types.js";
import { type Bus, MemoryBus, topics } from "./state/bus.js";
import { MemoryEventStore } from "./state/event-store.js";
import { MemorySessionStore, type SessionStore } from "./state/session.js";
import { forgetSubscriptionsOnDelete, MemorySubscriptionStore } from "./state/subscriptions.js";
import { type MessageTransport, serveTransport } from "./transports/connection.js";
import { type EndpointHost, HttpEndpoint } from "./transports/http/endpoint.js";
import { FetchExchange } from "./transports/http/fetch.js";
import { listen, stopAccepting } from "./transports/http/listen.js";
import { NodeExchange, type NodeHandler } from "./transports/http/node.js";
import { isLoopbackHost, LOOPBACK_HOST_NAMES } from "./transports/http/security.js";
import { type HttpOptions, resolveHttpSettings } from "./transports/http/settings.js";
import { StdioServerTransport } from "./transports/stdio.js";

/** `mcp.run()` over stdio (the default). */
export interface StdioRunOptions {
  transport?: "stdio";
}

/** `mcp.run()` over Streamable HTTP: a node:http server with graceful shutdown. */
export interface HttpRunOptions extends HttpOptions {
  transport: "streamable-http" | "http";
  /** Default "127.0.0.1". A loopback host turns on the Host allow-list (DNS rebinding guard). */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Overrides the `streamableHttpPath` option. */
  path?: string;
  /** Level of the server's own diagnostics for this run. */
  logLevel?: LogLevelName;
  /** How long shutdown waits for running requests before aborting them. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Called once the server listens (the `signal` option stops it). */
  onListening?: (info: { url: string; port: number }) => void;
  /** Stops the server, as SIGINT/SIGTERM do. */
  signal?: AbortSignal;
}

export type RunOptions = StdioRunOptions | HttpRunOptions;

type ListKind = "tools" | "resources" | "prompts";
type LifecycleState = "idle" | "starting" | "running" | "closing" | "closed";

/**
 * One MCP server: register tools (and later resources and prompts), then serve
 * it over stdio, HTTP or in-process. Both protocol eras are served at once.
 */
export class FastMCP<L = undefined> {
  readonly name: string;
  readonly options: Readonly<FastMCPOptions<L>>;
  readonly #core: ServerCore & { lifespan: unknown; logger: Logger };
  readonly #engine: Engine;
  readonly #tools: ComponentRegistry<Tool>;
  readonly #resources: ComponentRegistry<Resource>;
  readonly #templates: ComponentRegistry<ResourceTemplate>;
  readonly #prompts: ComponentRegistry<Prompt>;
  #state: LifecycleState = "idle";
  #starting: Promise<void> | undefined;
  #lifespan: AsyncGenerator<L, void, unknown> | undefined;
  readonly #listChangedPending = new Set<ListKind>();
  readonly #closers = new Set<() => Promise<void>>();

  constructor(name: string, options: FastMCPOptions<L> = {}) {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError("FastMCP needs a non-empty server name");
    this.name = name;
    this.options = options;
    const logger =
      options.logger ??
      stderrLogger(name, options.logLevel ?? parseLogLevel(envVar("FASTMCP_LOG_LEVEL")) ?? "info");
    this.#tools = new ComponentRegistry<Tool>("Tool", () => this.#listChanged("tools"));
    this.#resources = new ComponentRegistry<Resource>("Resource", () =>
      this.#listChanged("resources"),
    );
    this.#templates = new ComponentRegistry<ResourceTemplate>("Resource template", () =>
      this.#listChanged("resources"),
    );
    this.#prompts = new ComponentRegistry<Prompt>("Prompt", () => this.#listChanged("prompts"));
    const serverInfo: Implementation = { name, version: options.version ?? "1.0.0" };
    if (options.title !== undefined) serverInfo.title = options.title;
    if (options.description !== undefined) serverInfo.description = options.description;
    if (options.websiteUrl !== undefined) serverInfo.websiteUrl = options.websiteUrl;
    if (options.icons !== undefined) serverInfo.icons = options.icons;
    const tools = this.#tools;
    const resources = this.#resources;
    const templates = this.#templates;
    const prompts = this.#prompts;
    const resolver = new ResourceResolver(resources, templates);
    const subscriptions = options.subscriptionStore ?? new MemorySubscriptionStore();
    const core: ServerCore & { lifespan: unknown } = {
      serverInfo,
      instructions: options.instructions,
      settings: resolveSettings(options),
      tools,
      resources,
      templates,
      prompts,
      sessions: forgetSubscriptionsOnDelete(
        options.sessionStore ?? new MemorySessionStore(),
        subscriptions,
      ),
      subscriptions,
      bus: options.bus ?? new MemoryBus(),
      logger,
      lifespan: undefined,
      // Every process serving this server shares its topics on a shared bus: the name is the key.
      busPrefix: name,
      // Tools, resources and prompts are always declared (as Python FastMCP does): clients
      // list them unconditionally, and a component added later can still be announced.
      capabilities() {
        const capabilities: Record<string, unknown> = {
          logging: {},
          tools: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          prompts: { listChanged: true },
        };
        if (hasCompleters(core)) capabilities.completions = {};
        return capabilities;
      },
      readResource: (uri, scope) => readResource(core, resolver, uri, scope),
    };
    this.#core = core;
    this.#engine = new Engine(this.#core, methodTable(this.#core));
    this.#core.sessions.onExpire?.((id) => this.#sessionEnded(id));
  }

  /** The server's own logger (stderr by default). */
  get logger(): Logger {
    return this.#core.logger;
  }

  /** Where legacy sessions live. */
  get sessions(): SessionStore {
    return this.#core.sessions;
  }

  get bus(): Bus {
    return this.#core.bus;
  }

  /**
   * Registers a tool. `input` types the handler's arguments; `output` adds an
   * output schema and validates results against it.
   */
  tool<I extends SchemaSpec | undefined = undefined, O extends SchemaSpec | undefined = undefined>(
    name: string,
    options: ToolOptions<I, O>,
    handler: ToolHandler<I, O, L>,
  ): ToolHandle;
  tool(name: string, handler: ToolHandler<undefined, undefined, L>): ToolHandle;
  tool(
    name: string,
    optionsOrHandler:
      | ToolOptions<SchemaSpec | undefined, SchemaSpec | undefined>
      | ((...args: never[]) => unknown),
    maybeHandler?: (...args: never[]) => unknown,
  ): ToolHandle {
    const [options, handler] =
      typeof optionsOrHandler === "function"
        ? [{}, optionsOrHandler]
        : [optionsOrHandler ?? {}, maybeHandler];
    const tool = new Tool(name, options, handler as Tool["handler"]);
    const ready = tool.ready;
    this.#tools.add(tool, ready !== undefined);
    if (ready) this.#trackTool(tool, ready);
    return this.#toolHandle(name);
  }

  #toolHandle(name: string): ToolHandle {
    const registry = this.#tools;
    const current = (): Tool => {
      const tool = registry.peek(name);
      if (!tool) throw new Error(`Tool "${name}" has been removed`);
      return tool;
    };
    return {
      name,
      get enabled() {
        return registry.has(name) && current().enabled;
      },
      enable: () => registry.setEnabled(current().name, true),
      disable: () => registry.setEnabled(current().name, false),
      update: (changes: ToolUpdate) => {
        const existing = current();
        const { handler, ...options } = changes;
        const next = new Tool(
          name,
          { ...existing.options, ...options, enabled: existing.enabled },
          (handler as Tool["handler"] | undefined) ?? existing.handler,
        );
        const ready = next.ready;
        registry.replace(next, ready !== undefined);
        if (ready) this.#trackTool(next, ready);
      },
      remove: () => {
        registry.remove(name);
      },
    };
  }

  /** Looks up a registered tool's handle by name. */
  getTool(name: string): ToolHandle | undefined {
    return this.#tools.has(name) ? this.#toolHandle(name) : undefined;
  }

  /**
   * Registers a resource. A URI with `{...}` expressions is an RFC 6570
   * template whose parameters the handler receives, typed from the URI:
   * `mcp.resource("file://documents/{doc_id}", ({ doc_id }) => ...)`.
   */
  resource<U extends string>(
    uri: U,
    options: ResourceOptionsFor<NoInfer<U>, L>,
    handler: ResourceHandler<NoInfer<U>, L>,
  ): ResourceHandle;
  resource<U extends string>(uri: U, handler: ResourceHandler<NoInfer<U>, L>): ResourceHandle;
  resource(
    uri: string,
    optionsOrHandler: object | ((...args: never[]) => unknown),
    maybeHandler?: (...args: never[]) => unknown,
  ): ResourceHandle {
    const [options, handler] =
      typeof optionsOrHandler === "function"
        ? [{}, optionsOrHandler]
        : [optionsOrHandler ?? {}, maybeHandler];
    if (isTemplate(uri)) {
      this.#templates.add(new ResourceTemplate(uri, options, handler as AnyResourceHandler));
    } else {
      this.#resources.add(new Resource(uri, options, handler as AnyResourceHandler));
    }
    return this.#resourceHandle(uri);
  }

  #resourceHandle(uri: string): ResourceHandle {
    const rebuild = <T extends Resource | ResourceTemplate>(
      existing: T,
      changes: ResourceUpdate,
    ) => {
      const { handler, ...options } = changes;
      const merged = { ...existing.options, ...options, enabled: existing.enabled };
      const next = (handler as AnyResourceHandler | undefined) ?? existing.handler;
      return (
        existing instanceof Resource
          ? new Resource(uri, merged, next)
          : new ResourceTemplate(uri, merged as ResourceTemplate["options"], next)
      ) as T;
    };
    const base = isTemplate(uri)
      ? componentHandle<ResourceTemplate, ResourceUpdate>(
          this.#templates,
          uri,
          "Resource template",
          rebuild,
          () => {},
        )
      : componentHandle<Resource, ResourceUpdate>(
          this.#resources,
          uri,
          "Resource",
          rebuild,
          () => {},
        );
    return Object.defineProperties(base, {
      uri: { value: uri, enumerable: true },
    }) as ResourceHandle;
  }

  /** Looks up a registered resource's (or template's) handle by its URI (or URI template). */
  getResource(uri: string): ResourceHandle | undefined {
    const registry = isTemplate(uri) ? this.#templates : this.#resources;
    return registry.has(uri) ? this.#resourceHandle(uri) : undefined;
  }

  /**
   * Registers a prompt. `args` is a shape of Standard Schemas (one per
   * argument); the handler returns a string (one user message) or messages.
   */
  prompt<A extends SchemaShape | undefined = undefined>(
    name: string,
    options: PromptOptions<A, L>,
    handler: PromptHandler<A, L>,
  ): PromptHandle;
  prompt(name: string, handler: PromptHandler<undefined, L>): PromptHandle;
  prompt(
    name: string,
    optionsOrHandler: object | ((...args: never[]) => unknown),
    maybeHandler?: (...args: never[]) => unknown,
  ): PromptHandle {
    const [options, handler] =
      typeof optionsOrHandler === "function"
        ? [{}, optionsOrHandler]
        : [optionsOrHandler ?? {}, maybeHandler];
    const prompt = new Prompt(name, options as Prompt["options"], handler as Prompt["handler"]);
    this.#prompts.add(prompt);
    this.#track(prompt.ready, this.#prompts);
    return this.#promptHandle(name);
  }

  #promptHandle(name: string): PromptHandle {
    const base = componentHandle(
      this.#prompts,
      name,
      "Prompt",
      (existing, changes: PromptUpdate) => {
        const { handler, ...options } = changes;
        return new Prompt(
          name,
          { ...existing.options, ...options, enabled: existing.enabled } as Prompt["options"],
          (handler as Prompt["handler"] | undefined) ?? existing.handler,
        );
      },
      (prompt) => this.#track(prompt.ready, this.#prompts),
    );
    return Object.defineProperties(base, {
      name: { value: name, enumerable: true },
    }) as PromptHandle;
  }

  /** Looks up a registered prompt's handle by name. */
  getPrompt(name: string): PromptHandle | undefined {
    return this.#prompts.has(name) ? this.#promptHandle(name) : undefined;
  }

  /**
   * Tells every client subscribed to `uri` that it changed: legacy sessions
   * that sent `resources/subscribe`, and 2026-07-28 `subscriptions/listen`
   * streams that named it, on every process that shares the bus and stores.
   */
  async notifyResourceUpdated(uri: string): Promise<void> {
    if (typeof uri !== "string" || uri.length === 0)
      throw new TypeError("notifyResourceUpdated needs the resource's URI");
    const { bus, busPrefix, subscriptions } = this.#core;
    const message = {
      jsonrpc: "2.0",
      method: "notifications/resources/updated",
      params: { uri },
    };
    const sessions = await subscriptions.sessions(uri);
    await Promise.all([
      bus.publish(topics.resource(busPrefix, uri), message),
      ...sessions.map((id) => bus.publish(topics.session(busPrefix, id), message)),
    ]);
  }

  /**
   * Reads a resource directly, as a client would but without a transport:
   * for unit tests. Throws the "Resource not found" `McpError` (-32002).
   */
  async readResource(uri: string): Promise<ReadResourceResult> {
    await this.start();
    const scope = detachedScope("resources/read", { uri }, LATEST_LEGACY_VERSION, this.#reader);
    return this.#core.readResource(uri, scope);
  }

  readonly #reader = (uri: string, scope: RequestScope) => this.#core.readResource(uri, scope);

  /** Renders a prompt directly, as `prompts/get` would: for unit tests. */
  async renderPrompt(name: string, args: Record<string, unknown> = {}): Promise<GetPromptResult> {
    await this.start();
    const prompt = this.#prompts.get(name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`, { name });
    const scope = detachedScope(
      "prompts/get",
      { name, arguments: args },
      LATEST_LEGACY_VERSION,
      this.#reader,
    );
    const ctx = new Context<unknown>(scope, this.#core.lifespan);
    const messages = await prompt.render(args, ctx, this.#core.settings, this.#core.logger);
    const result: GetPromptResult = {
      messages: messagesForVersion(messages, LATEST_LEGACY_VERSION),
    };
    if (prompt.options.description !== undefined) result.description = prompt.options.description;
    return result;
  }

  /** Adds middleware around every request's dispatch (see `Middleware`). */
  use(middleware: Middleware): this {
    this.#engine.use(middleware);
    return this;
  }

  /**
   * Calls a tool directly, as a client would but without a transport: for
   * unit tests. Returns the converted `CallToolResult`.
   */
  async callTool(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    await this.start();
    // A tool registered a moment ago may still be converting its schema.
    await Promise.all(this.#pending);
    const tool = this.#tools.get(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`, { name });
    const scope = detachedScope(
      "tools/call",
      { name, arguments: args },
      LATEST_LEGACY_VERSION,
      this.#reader,
    );
    const ctx = new Context<unknown>(scope, this.#core.lifespan);
    return tool.call(args, ctx, this.#core.settings, this.#core.logger);
  }

  /**
   * The sans-IO entry point: handles one parsed JSON-RPC message. Transports
   * (ours or yours) call this; it starts the server on first use.
   */
  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    // Not async: a running server hands the engine's promise straight back (one frame less per message).
    if (this.#state === "running") return this.#engine.handle(message, envelope);
    return this.start().then(() => this.#engine.handle(message, envelope));
  }

  /**
   * Serves a connected message transport (the shape the official SDKs use:
   * `start`, `send`, `close`, `onmessage`). Resolves once it is listening.
   */
  async connect(transport: MessageTransport): Promise<void> {
    await this.start();
    const stop = await serveTransport(this, transport);
    this.#closers.add(stop);
  }

  /**
   * Serves the server until the client goes away or the process is told to
   * stop (SIGINT/SIGTERM). Default transport: stdio; `"streamable-http"`
   * starts a node:http server (default 127.0.0.1:8000, path `/mcp`).
   */
  async run(options: RunOptions = {}): Promise<void> {
    const transport = options.transport ?? "stdio";
    if (transport === "streamable-http" || transport === "http")
      return this.#runHttp(options as HttpRunOptions);
    if (transport !== "stdio") throw new TypeError(`Unknown transport "${String(transport)}"`);
    const stdio = new StdioServerTransport();
    const done = new Promise<void>((resolve) => {
      stdio.onclose = resolve;
    });
    const stop = () => void this.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await this.connect(stdio);
      await done;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await this.close();
    }
  }

  async #runHttp(options: HttpRunOptions): Promise<void> {
    const {
      transport: _transport,
      host = "127.0.0.1",
      port = 8000,
      path,
      logLevel,
      shutdownTimeoutMs = 10_000,
      onListening,
      signal,
      ...http
    } = options;
    if (logLevel !== undefined && !this.options.logger)
      this.#core.logger = stderrLogger(this.name, logLevel);
    const allowedHosts =
      http.allowedHosts ??
      this.options.http?.allowedHosts ??
      (isLoopbackHost(host) ? LOOPBACK_HOST_NAMES : undefined);
    const endpoint = this.#createEndpoint({ ...http, allowedHosts, path });
    await this.start();
    const running = await listen(
      this.#nodeHandlerFor(endpoint),
      host,
      port,
      endpoint.settings.path,
    );
    this.#core.logger.info(`Serving MCP over Streamable HTTP at ${running.url}`);
    onListening?.({ url: running.url, port: running.port });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        signal?.removeEventListener("abort", stop);
        resolve();
      };
      if (signal?.aborted) return stop();
      signal?.addEventListener("abort", stop, { once: true });
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      this.#closers.add(async () => stop());
    });
    // Graceful shutdown: stop accepting, let running requests finish, close streams, end the lifespan.
    const stopped = stopAccepting(running.server);
    await this.#engine.drain(shutdownTimeoutMs);
    await endpoint.closeStreams();
    await this.close();
    running.server.closeAllConnections();
    await stopped;
  }

  /**
   * The web-standard entry point: `(Request) => Promise<Response>` for Hono,
   * Bun, Deno, Workers and Next.js. Requests to other paths get 404.
   */
  readonly fetch = async (request: Request): Promise<Response> => {
    const endpoint = this.#defaultEndpoint();
    const ex = new FetchExchange(request);
    if (!endpoint.matches(ex.pathname)) return new Response("Not Found", { status: 404 });
    this.#serveExchange(endpoint, ex);
    return ex.response;
  };

  /**
   * The Node entry point: `(req, res, next?)` for node:http, Express, Connect
   * (and Fastify through `reply.raw`). Requests to other paths go to `next`,
   * or get 404. Options override the server's HTTP options for this handler.
   */
  nodeHandler(options?: HttpOptions & { path?: string }): NodeHandler {
    return this.#nodeHandlerFor(options ? this.#createEndpoint(options) : this.#defaultEndpoint());
  }

  #nodeHandlerFor(endpoint: HttpEndpoint): NodeHandler {
    return (req, res, next) => {
      const ex = new NodeExchange(req, res);
      if (!endpoint.matches(ex.pathname)) {
        if (next) next();
        else ex.reply(404, { "content-type": "text/plain" }, "Not Found");
        return;
      }
      this.#serveExchange(endpoint, ex);
    };
  }

  #serveExchange(endpoint: HttpEndpoint, ex: FetchExchange | NodeExchange): void {
    const serve = async () => {
      if (this.#state !== "running") await this.start();
      await endpoint.handle(ex);
    };
    serve().catch((error: unknown) => {
      this.#core.logger.error("Failed to serve an HTTP request", error);
      ex.reply(500, { "content-type": "application/json" }, INTERNAL_ERROR_BODY);
    });
  }

  #endpoint: HttpEndpoint | undefined;

  #defaultEndpoint(): HttpEndpoint {
    this.#endpoint ??= this.#createEndpoint({});
    return this.#endpoint;
  }

  #createEndpoint(overrides: HttpOptions & { path?: string | undefined }): HttpEndpoint {
    const settings = resolveHttpSettings(
      {
        ...this.options.http,
        ...withoutUndefined(overrides),
        path: overrides.path ?? this.options.streamableHttpPath,
        stateless: this.options.statelessHttp,
        jsonResponse: this.options.jsonResponse,
      },
      () => (this.#eventStore ??= new MemoryEventStore()),
    );
    const endpoint = new HttpEndpoint(this.#endpointHost, settings);
    this.#closers.add(() => endpoint.closeStreams());
    return endpoint;
  }

  #eventStore: MemoryEventStore | undefined;

  /** What HTTP endpoints see of this server. */
  #endpointHostCache: EndpointHost | undefined;

  get #endpointHost(): EndpointHost {
    this.#endpointHostCache ??= this.#buildEndpointHost();
    return this.#endpointHostCache;
  }

  #buildEndpointHost(): EndpointHost {
    return {
      handleMessage: (message, envelope) => this.handleMessage(message, envelope),
      sessions: this.sessions,
      bus: this.bus,
      logger: {
        debug: (message, ...details) => this.#core.logger.debug(message, ...details),
        info: (message, ...details) => this.#core.logger.info(message, ...details),
        warn: (message, ...details) => this.#core.logger.warn(message, ...details),
        error: (message, ...details) => this.#core.logger.error(message, ...details),
      },
      broadcastTopic: this.broadcastTopic,
      sessionTopic: (id) => this.sessionTopic(id),
      paramHeaders: (tool) => this.#tools.get(tool)?.paramHeaders,
      endSession: (id) => this.endSession(id),
      onSessionEnd: (listener) => {
        this.#sessionEndListeners.push(listener);
      },
      serveChannel: (transport) => serveTransport(this, transport),
    };
  }

  readonly #sessionEndListeners: ((id: string) => void)[] = [];

  /** Internal: the bus topic for messages to one legacy session's own stream. */
  sessionTopic(sessionId: string): string {
    return topics.session(this.#core.busPrefix, sessionId);
  }

  /**
   * Ends a legacy session: forgets it and releases what it held (streams,
   * subscriptions). Transports call it when their client goes away.
   */
  async endSession(sessionId: string): Promise<void> {
    await this.#core.sessions.delete(sessionId);
    this.#sessionEnded(sessionId);
  }

  #sessionEnded(sessionId: string): void {
    for (const listener of this.#sessionEndListeners) listener(sessionId);
  }

  /** Runs the lifespan and finishes schema conversion. Called for you on first use. */
  start(): Promise<void> {
    if (this.#state === "running") return Promise.resolve();
    if (this.#state === "closing" || this.#state === "closed") {
      return Promise.reject(new Error(`Server "${this.name}" is closed`));
    }
    this.#starting ??= this.#doStart();
    return this.#starting;
  }

  async #doStart(): Promise<void> {
    this.#state = "starting";
    try {
      // Tools registered while we wait are waited for too.
      while (this.#pending.size > 0) await Promise.all(this.#pending);
      // In registration order, whichever conversion finished first.
      const failures = [...(this.#failures ?? [])].sort((x, y) => x[0] - y[0]).map(([, e]) => e);
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) {
        const messages = failures.map((failure) => (failure as Error).message).join("; ");
        throw new AggregateError(
          failures,
          `${failures.length} tools were not registered: ${messages}`,
        );
      }
      this.#failures = undefined;
      const lifespan = this.options.lifespan as Lifespan<L> | undefined;
      if (lifespan) {
        this.#lifespan = lifespan(this);
        const first = await this.#lifespan.next();
        if (first.done)
          throw new Error(`Server "${this.name}": the lifespan returned without yielding a value`);
        this.#core.lifespan = first.value;
      }
      this.#state = "running";
    } catch (error) {
      this.#state = "idle";
      this.#starting = undefined;
      this.#failures = [];
      throw error;
    }
  }

  /** Stops serving: aborts running requests, closes transports, ends the lifespan. */
  async close(): Promise<void> {
    if (this.#state === "closed" || this.#state === "closing") return;
    if (this.#state === "starting") await this.#starting?.catch(() => undefined);
    this.#state = "closing";
    this.#engine.abortAll(new Error("Server is shutting down"));
    await Promise.allSettled([...this.#closers].map((close) => close()));
    this.#closers.clear();
    await this.#engine.close().catch((error: unknown) => {
      this.#core.logger.error("Could not release the engine's bus subscription", error);
    });
    try {
      await this.#lifespan?.return(undefined);
    } finally {
      this.#state = "closed";
    }
  }

  /** Internal: lets transports find the bus topic for broadcasts. */
  get broadcastTopic(): string {
    return topics.broadcast(this.#core.busPrefix);
  }

  /** Staged tools whose schemas are still converting; they never reject. */
  readonly #pending = new Set<Promise<void>>();
  /** Conversion failures start() will throw; undefined once started, when they are logged instead. */
  #failures: [order: number, error: unknown][] | undefined = [];
  #tracked = 0;

  /**
   * Shows a staged tool to clients once its schema is converted, so tools/list
   * and list_changed only ever carry its final definition. A failed conversion
   * drops the new version (a previous one stays): it is a registration error,
   * thrown by start() if the server has not started yet, else logged.
   */
  #trackTool(tool: Tool, ready: Promise<void>): void {
    const order = this.#tracked++;
    const settled: Promise<void> = ready
      .then(
        () => this.#tools.commit(tool),
        (error: unknown) => {
          // A version removed or replaced meanwhile no longer matters.
          if (!this.#tools.discard(tool)) return;
          if (this.#failures) this.#failures.push([order, error]);
          else this.#core.logger.error(`Tool "${tool.name}" was not registered or updated`, error);
        },
      )
      .finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }

  /**
   * Waits for a component's async schema conversion; once done, its registry
   * moves to a new revision, so cached list pages are rebuilt with the schema.
   */
  #track(ready: Promise<void> | undefined, registry?: { changed(): void }): void {
    if (!ready) return;
    const settled: Promise<void> = ready
      .then(
        () => registry?.changed(),
        (error: unknown) => this.#core.logger.error("Schema conversion failed", error),
      )
      .finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }

  /** Coalesces every change in one tick into one notification per kind. */
  #listChanged(kind: ListKind): void {
    if (this.#state !== "running" || this.#listChangedPending.has(kind)) return;
    this.#listChangedPending.add(kind);
    queueMicrotask(() => {
      this.#listChangedPending.delete(kind);
      this.#core.bus
        .publish(this.broadcastTopic, {
          jsonrpc: "2.0",
          method: `notifications/${kind}/list_changed`,
        })
        .catch((error) => this.#core.logger.error("Could not publish list_changed", error));
    });
  }
}

const INTERNAL_ERROR_BODY = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: ErrorCode.InternalError, message: "Internal error" },
});

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A URI with `{...}` expressions is a template; a stray brace is a template error, not a static URI. */
function isTemplate(uri: string): boolean {
  return typeof uri === "string" && (uri.includes("{") || uri.includes("}"));
}

function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.[name];
}

function resolveSettings<L>(options: FastMCPOptions<L>): ResolvedSettings {
  const cache: CacheHints = {
    ttlMs: options.cache?.ttlMs ?? 0,
    scope: options.cache?.scope ?? "private",
  };
  if (!Number.isInteger(cache.ttlMs) || cache.ttlMs < 0) {
    throw new TypeError(`cache.ttlMs must be a non-negative integer, got ${options.cache?.ttlMs}`);
  }
  if (
    options.pageSize !== undefined &&
    (!Number.isInteger(options.pageSize) || options.pageSize < 1)
  ) {
    throw new TypeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const clientRequestTimeoutMs = positiveMs(
    "clientRequestTimeoutMs",
    options.clientRequestTimeoutMs,
    TEN_MINUTES,
  );
  const ttlMs = positiveMs("requestStateTtlMs", options.requestStateTtlMs, TEN_MINUTES);
  const envSecret = envVar("FASTMCP_REQUEST_STATE_SECRET");
  const secret = options.requestStateSecret ?? (envSecret === "" ? undefined : envSecret);
  return {
    pageSize: options.pageSize,
    maskErrorDetails: options.maskErrorDetails ?? false,
    cache,
    clientRequestTimeoutMs,
    requestState: { secret, ttlMs },
  };
}

const TEN_MINUTES = 10 * 60 * 1000;

/** A timer length: a positive integer that setTimeout can hold. */
function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new TypeError(`${name} must be a positive integer of milliseconds, got ${value}`);
  }
  return value;
}

export type { Context };
