import { resolveServerAuth } from "./auth/server-auth.js";
import {
  Prompt,
  type PromptHandle,
  type PromptHandler,
  type PromptOptions,
} from "./components/prompt.js";
import {
  type AnyResourceHandler,
  Resource,
  type ResourceHandle,
  type ResourceHandler,
  type ResourceOptionsFor,
} from "./components/resource.js";
import { ResourceTemplate } from "./components/resource-template.js";
import { Tool, type ToolHandle, type ToolHandler, type ToolOptions } from "./components/tool.js";
import type { Context } from "./context.js";
import { methodTable } from "./handlers/index.js";
import { runningTasks } from "./handlers/task-lease.js";
import type { Logger } from "./logger.js";
import { type Hooks, hooksMiddleware } from "./middleware/hooks.js";
import type { ServerOptions } from "./options.js";
import { Engine } from "./protocol/engine.js";
import type { Envelope } from "./protocol/envelope.js";
import type { JsonRpcResponse } from "./protocol/jsonrpc.js";
import type { Middleware } from "./protocol/middleware.js";
import type { CallToolResult, GetPromptResult, ReadResourceResult } from "./protocol/types.js";
import type { SchemaShape, SchemaSpec } from "./schema/types.js";
import { checkServerOptions } from "./server/check-options.js";
import { Conversions } from "./server/conversions.js";
import { buildCore, type MutableCore } from "./server/core.js";
import { DirectCalls } from "./server/direct-calls.js";
import { readServerEnv } from "./server/env.js";
import { isTemplate, promptHandle, resourceHandle, toolHandle } from "./server/handles.js";
import { ServerHost } from "./server/host.js";
import { Lifecycle } from "./server/lifecycle.js";
import { ListChanged } from "./server/list-changed.js";
import { resolveLogger } from "./server/settings.js";
import { devHook, runHook } from "./serving/cli-hook.js";
import { type EndpointOverrides, HttpEndpoints } from "./serving/http-endpoints.js";
import { runServer } from "./serving/run.js";
import type { RunOptions } from "./serving/run-options.js";
import { type Bus, topics } from "./state/bus.js";
import type { SessionStore } from "./state/session.js";
import { type MessageTransport, serveTransport } from "./transports/connection.js";
import type { NodeHandler } from "./transports/http/node.js";
import type { WaitUntilContext } from "./transports/http/wait-until.js";

export type { HttpRunOptions, RunOptions, StdioRunOptions } from "./serving/run-options.js";

/**
 * Runs once per server: code before `yield` starts resources, the yielded
 * value is `ctx.lifespan` in every handler, and `finally` cleans up on close.
 * The twin of Python's `@asynccontextmanager` lifespan.
 */
export type Lifespan<L> = (server: FastMCP<L>) => AsyncGenerator<L, void, unknown>;

/**
 * Everything a server can be told, as one plain object, so a config file,
 * a CLI or environment variables can fill it (see `ServerOptions`), and the
 * lifespan.
 */
export interface FastMCPOptions<L = undefined> extends ServerOptions {
  lifespan?: Lifespan<L>;
}

/**
 * One MCP server: register tools, resources and prompts, then serve it over
 * stdio, HTTP or in-process. Both protocol eras are served at once. This
 * class is the facade: the core, lifecycle and transports' host live in
 * `server/`, the ways to serve it in `serving/`.
 */
export class FastMCP<L = undefined> {
  readonly name: string;
  readonly options: Readonly<FastMCPOptions<L>>;
  readonly #core: MutableCore;
  readonly #engine: Engine;
  readonly #conversions: Conversions;
  readonly #lifecycle: Lifecycle;
  readonly #host: ServerHost;
  readonly #http: HttpEndpoints;
  readonly #direct: DirectCalls;

  constructor(name: string, options: FastMCPOptions<L> = {}) {
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError("FastMCP needs a non-empty server name");
    checkServerOptions(name, options);
    this.name = name;
    this.options = options;
    const logger = resolveLogger(name, options, readServerEnv());
    let listChanged: ListChanged | undefined;
    const core = buildCore(name, options, logger, (kind) => listChanged?.changed(kind));
    const engine = new Engine(core, methodTable(core));
    const conversions = new Conversions(() => core.logger);
    const lifespan = options.lifespan;
    const lifecycle = new Lifecycle({
      name,
      engine,
      conversions,
      logger: () => core.logger,
      lifespan: lifespan && (() => lifespan(this)),
      onLifespanValue: (value) => {
        core.lifespan = value;
      },
      tasks: runningTasks(core),
    });
    this.#core = core;
    this.#engine = engine;
    this.#conversions = conversions;
    this.#lifecycle = lifecycle;
    this.#host = new ServerHost(core, engine, lifecycle);
    devHook()?.created(this, this.#host); // `fastmcp-ts dev` serves it through its own endpoint
    listChanged = new ListChanged(core, this.#host.broadcastTopic, () => lifecycle.running);
    const owner = `FastMCP("${name}")`;
    const auth = resolveServerAuth(owner, options.tokenVerifier, options.auth);
    this.#http = new HttpEndpoints(this.#host, lifecycle, options, owner, auth);
    this.#direct = new DirectCalls(core, lifecycle, conversions);
    this.fetch = this.#http.fetch;
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

  // ---- registration --------------------------------------------------------

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
    const [options, handler] = optionsAndHandler(optionsOrHandler, maybeHandler);
    const tool = new Tool(name, options, handler as Tool["handler"]);
    const ready = tool.ready;
    this.#core.tools.add(tool, ready !== undefined);
    if (ready) this.#conversions.trackTool(this.#core.tools, tool, ready);
    return toolHandle(this.#core.tools, name, this.#conversions);
  }

  /** Looks up a registered tool's handle by name. */
  getTool(name: string): ToolHandle | undefined {
    const tools = this.#core.tools;
    return tools.has(name) ? toolHandle(tools, name, this.#conversions) : undefined;
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
    const [options, handler] = optionsAndHandler(optionsOrHandler, maybeHandler);
    const { resources, templates } = this.#core;
    if (isTemplate(uri)) {
      templates.add(new ResourceTemplate(uri, options, handler as AnyResourceHandler));
    } else {
      resources.add(new Resource(uri, options, handler as AnyResourceHandler));
    }
    return resourceHandle(resources, templates, uri);
  }

  /** Looks up a registered resource's (or template's) handle by its URI (or URI template). */
  getResource(uri: string): ResourceHandle | undefined {
    const { resources, templates } = this.#core;
    const registry = isTemplate(uri) ? templates : resources;
    return registry.has(uri) ? resourceHandle(resources, templates, uri) : undefined;
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
    const [options, handler] = optionsAndHandler(optionsOrHandler, maybeHandler);
    const prompts = this.#core.prompts;
    const prompt = new Prompt(name, options as Prompt["options"], handler as Prompt["handler"]);
    prompts.add(prompt);
    this.#conversions.track(prompt.ready, prompts);
    return promptHandle(prompts, name, this.#conversions);
  }

  /** Looks up a registered prompt's handle by name. */
  getPrompt(name: string): PromptHandle | undefined {
    const prompts = this.#core.prompts;
    return prompts.has(name) ? promptHandle(prompts, name, this.#conversions) : undefined;
  }

  /**
   * Adds middleware around every request's dispatch (see `Middleware`), or
   * hooks around one kind of request (`Hooks`: `onCallTool`, `onListTools`, ...).
   */
  use(middleware: Middleware | Hooks): this {
    if (typeof middleware === "function") this.#engine.use(middleware);
    else if (typeof middleware === "object" && middleware !== null)
      this.#engine.use(hooksMiddleware(middleware));
    else throw new TypeError("use() takes a middleware function or an object of hooks");
    return this;
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

  // ---- in-process calls, for unit tests ------------------------------------

  /**
   * Calls a tool directly, as a client would but without a transport: for
   * unit tests. Returns the converted `CallToolResult`.
   */
  callTool(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return this.#direct.callTool(name, args);
  }

  /**
   * Reads a resource directly, as a client would but without a transport:
   * for unit tests. Throws the "Resource not found" `McpError` (-32002).
   */
  readResource(uri: string): Promise<ReadResourceResult> {
    return this.#direct.readResource(uri);
  }

  /** Renders a prompt directly, as `prompts/get` would: for unit tests. */
  renderPrompt(name: string, args: Record<string, unknown> = {}): Promise<GetPromptResult> {
    return this.#direct.renderPrompt(name, args);
  }

  // ---- serving --------------------------------------------------------------

  /**
   * The sans-IO entry point: handles one parsed JSON-RPC message. Transports
   * (ours or yours) call this; it starts the server on first use.
   */
  handleMessage(message: unknown, envelope: Envelope): Promise<JsonRpcResponse | undefined> {
    return this.#host.handleMessage(message, envelope);
  }

  /**
   * Serves a connected message transport (the shape the official SDKs use:
   * `start`, `send`, `close`, `onmessage`). Resolves once it is listening.
   */
  async connect(transport: MessageTransport): Promise<void> {
    await this.start();
    this.#lifecycle.onClose(await serveTransport(this.#host, transport));
  }

  /**
   * Serves the server until the client goes away or the process is told to
   * stop (SIGINT/SIGTERM). Default transport: stdio; `"streamable-http"`
   * starts a node:http server (default 127.0.0.1:8000, path `/mcp`). A server
   * that cannot start (port in use, lifespan failed) logs one line saying why
   * and what to do, sets `process.exitCode` to 1 and returns.
   */
  async run(options: RunOptions = {}): Promise<void> {
    // Under the `fastmcp-ts` command, the command serves (with its flags).
    const hook = runHook();
    if (hook !== undefined) return hook(this, options);
    return runServer(
      {
        name: this.name,
        options: this.options,
        endpoints: this.#http,
        lifecycle: this.#lifecycle,
        engine: this.#engine,
        logger: () => this.#core.logger,
        connect: (transport) => this.connect(transport),
        close: () => this.close(),
      },
      options,
    );
  }

  /**
   * The web-standard entry point: `(Request) => Promise<Response>` for Hono,
   * Bun, Deno, Workers and Next.js. Requests to other paths get 404. What the
   * runtime passes after the request may follow it: the first argument with
   * a `waitUntil` (Workers' `ctx`, Netlify's `context`, `{ waitUntil }` from
   * `@vercel/functions`) keeps a task's run alive after the response, and
   * the client's address (`ctx.http.remoteAddress`) is read from Bun's
   * `server`, Deno's `info`, `@hono/node-server`'s `c.env` or `{ remoteAddress }`.
   */
  readonly fetch: (
    request: Request,
    context?: WaitUntilContext | object,
    executionContext?: WaitUntilContext | object,
  ) => Promise<Response>;

  /**
   * The Node entry point: `(req, res, next?)` for node:http, Express, Connect
   * (and Fastify through `reply.raw`). Requests to other paths go to `next`,
   * or get 404. Options override the server's HTTP options for this handler.
   */
  nodeHandler(options?: EndpointOverrides): NodeHandler {
    return this.#http.nodeHandler(options);
  }

  /** Internal: the bus topic for messages to one legacy session's own stream. */
  sessionTopic(sessionId: string): string {
    return this.#host.sessionTopic(sessionId);
  }

  /** Internal: lets transports find the bus topic for broadcasts. */
  get broadcastTopic(): string {
    return this.#host.broadcastTopic;
  }

  /**
   * Ends a legacy session: forgets it and releases what it held (streams,
   * subscriptions). Transports call it when their client goes away.
   */
  endSession(sessionId: string): Promise<void> {
    return this.#host.endSession(sessionId);
  }

  // ---- lifecycle -------------------------------------------------------------

  /** Runs the lifespan and finishes schema conversion. Called for you on first use. */
  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  /**
   * Stops serving: aborts running requests, fails the tasks still running
   * here (their status says the server shut down), closes transports, ends
   * the lifespan.
   */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }
}

/** Registration takes `(key, options, handler)` or `(key, handler)`. */
function optionsAndHandler(
  optionsOrHandler: object | ((...args: never[]) => unknown),
  maybeHandler: ((...args: never[]) => unknown) | undefined,
): [options: object, handler: ((...args: never[]) => unknown) | undefined] {
  return typeof optionsOrHandler === "function"
    ? [{}, optionsOrHandler as (...args: never[]) => unknown]
    : [optionsOrHandler ?? {}, maybeHandler];
}

export type { Context };
