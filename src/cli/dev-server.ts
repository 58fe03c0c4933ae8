import { isAbsolute, relative, resolve } from "node:path";
import { devHook, setDevHook } from "../serving/cli-hook.js";
import type { RunOptions } from "../serving/run-options.js";
import { MemoryBus } from "../state/bus.js";
import { MemorySessionStore } from "../state/session.js";
import { MemorySubscriptionStore } from "../state/subscriptions.js";
import type { TransportHost } from "../transports/host.js";
import { HttpEndpoint } from "../transports/http/endpoint.js";
import { type ListeningServer, listen, stopAccepting } from "../transports/http/listen.js";
import { DevHost, type Generation } from "./dev-host.js";
import {
  type DevHttpFlags,
  endpointHandler,
  httpOptionsKey,
  httpSetup,
  listenFailure,
} from "./dev-http.js";
import { DevModules } from "./dev-modules.js";
import { Watcher } from "./dev-watch.js";
import { CliError, EXIT } from "./errors.js";
import { loadServer, parseFileSpec } from "./load.js";

export interface DevServerOptions extends DevHttpFlags {
  /** `server.ts` or `server.ts:export`. */
  readonly spec: string;
  readonly cwd: string;
  /** Prints one line for the person running the command (stderr). */
  readonly say: (line: string) => void;
}

/** How long a replaced generation may finish its requests before it is closed anyway. */
const RETIRE_AFTER_MS = 10_000;

/** Every client is told these lists changed after a reload: any handler may now answer differently. */
const LIST_KINDS = ["tools", "resources", "prompts"] as const;

/**
 * `fastmcp-ts dev`: one HTTP listener, one endpoint and one set of stores
 * for the whole run, and the user's server loaded again, in a module graph
 * of its own (`DevModules`), whenever one of its files changes. A new
 * generation serves the next message once it has loaded and started; one
 * that fails to load leaves the previous one serving.
 */
export class DevServer {
  readonly #options: DevServerOptions;
  readonly #modules: DevModules;
  readonly #watcher: Watcher;
  readonly #hosts: WeakMap<object, TransportHost>;
  readonly #entry: string;
  #host!: DevHost;
  #endpoint!: HttpEndpoint;
  #listening!: ListeningServer;
  /** `httpOptionsKey` of the first generation, which the endpoint was built from. */
  #httpKey = "";
  #attempts = 1;
  readonly #waiting = new Set<string>();
  #reloading: Promise<void> | undefined;
  readonly #closing = new Set<Promise<void>>();

  private constructor(
    options: DevServerOptions,
    modules: DevModules,
    watcher: Watcher,
    hosts: WeakMap<object, TransportHost>,
  ) {
    this.#options = options;
    this.#modules = modules;
    this.#watcher = watcher;
    this.#hosts = hosts;
    this.#entry = resolve(options.cwd, parseFileSpec(options.spec).file);
  }

  /** Loads the first generation and listens; a file that cannot load ends the command. */
  static async start(options: DevServerOptions): Promise<DevServer> {
    if (devHook() !== undefined)
      throw new Error("fastmcp-ts dev is already running in this process");
    const hosts = new WeakMap<object, TransportHost>();
    setDevHook({
      sessionStore: new MemorySessionStore(),
      bus: new MemoryBus(),
      subscriptionStore: new MemorySubscriptionStore(),
      created: (server, host) => hosts.set(server, host),
    });
    let dev: DevServer | undefined;
    const watcher = new Watcher(
      (paths) => {
        if (dev !== undefined) dev.#changed(paths);
      },
      (message) => options.say(message),
    );
    try {
      const modules = DevModules.install((path) => watcher.add(path));
      dev = new DevServer(options, modules, watcher, hosts);
      await dev.#listen();
      return dev;
    } catch (error) {
      watcher.close();
      setDevHook(undefined);
      throw error;
    }
  }

  /** The MCP endpoint's URL. */
  get url(): string {
    return this.#listening.url;
  }

  /** How many of the user's files are watched. */
  get watched(): number {
    return this.#watcher.size;
  }

  /** The first generation's server name. */
  get name(): string {
    return this.#host.current.server.name;
  }

  async #listen(): Promise<void> {
    const { generation, fileRun } = await this.#load(1);
    try {
      const setup = httpSetup(generation.server, fileRun, this.#options);
      this.#httpKey = httpOptionsKey(generation.server, fileRun);
      this.#host = new DevHost(generation);
      this.#endpoint = new HttpEndpoint(this.#host, setup.settings, setup.auth);
      const { host, port, settings } = setup;
      const handler = endpointHandler(this.#endpoint, () => this.#host.logger);
      try {
        this.#listening = await listen(handler, host, port, settings.path, settings);
      } catch (error) {
        throw new CliError(`could not listen: ${listenFailure(error, host, port)}`, EXIT.failure);
      }
    } catch (error) {
      await this.#closeGeneration(generation);
      throw error;
    }
  }

  /** Loads generation `number` and starts it (schema conversions, lifespan). */
  async #load(
    number: number,
  ): Promise<{ generation: Generation; fileRun: RunOptions | undefined }> {
    this.#modules.forgetCommonJs();
    this.#watcher.add(this.#entry);
    const loaded = await loadServer(
      this.#options.spec,
      this.#options.cwd,
      DevModules.query(number),
    );
    this.#modules.reportCommonJs();
    await this.#modules.reported();
    const host = this.#hosts.get(loaded.server);
    if (host === undefined) {
      loaded.release();
      throw new CliError(
        `the server in ${this.#options.spec} comes from another copy of fastmcp-ts, one without dev support: run the fastmcp-ts the file imports (npx fastmcp-ts in its project)`,
        EXIT.usage,
      );
    }
    const generation: Generation = {
      number,
      server: loaded.server,
      host,
      release: loaded.release,
      inFlight: 0,
      onIdle: undefined,
    };
    try {
      await loaded.server.start();
    } catch (error) {
      await this.#closeGeneration(generation);
      throw error;
    }
    return { generation, fileRun: loaded.fileRunOptions };
  }

  #changed(paths: string[]): void {
    for (const path of paths) this.#waiting.add(path);
    // One reload at a time; changes made meanwhile make one more after it.
    this.#reloading ??= (async () => {
      while (this.#waiting.size > 0) {
        const batch = [...this.#waiting];
        this.#waiting.clear();
        await this.#reload(batch);
      }
      this.#reloading = undefined;
    })();
  }

  async #reload(paths: string[]): Promise<void> {
    const started = performance.now();
    const what = `${paths.map((path) => shown(path, this.#options.cwd)).join(", ")} changed`;
    let next: Generation;
    let fileRun: RunOptions | undefined;
    try {
      ({ generation: next, fileRun } = await this.#load(++this.#attempts));
    } catch (error) {
      this.#options.say(
        `${what}; the reload failed, so the previous version still serves (fix it and save again):\n${describe(error)}`,
      );
      return;
    }
    const previous = this.#host.swap(next);
    await this.#announce(previous, next);
    this.#retire(previous);
    this.#options.say(`${what}; reloaded in ${Math.round(performance.now() - started)} ms`);
    if (httpOptionsKey(next.server, fileRun) !== this.#httpKey)
      this.#options.say(
        "its HTTP options (path, http, statelessHttp, jsonResponse, auth, run() options) changed: they apply when fastmcp-ts dev starts again (a reload changes tools, resources, prompts and handlers)",
      );
  }

  /** Tells every client its lists changed (both names' topics, should the server have been renamed). */
  async #announce(previous: Generation, next: Generation): Promise<void> {
    const topics = new Set([previous.host.broadcastTopic, next.host.broadcastTopic]);
    try {
      for (const kind of LIST_KINDS)
        for (const topic of topics)
          await this.#host.bus.publish(topic, {
            jsonrpc: "2.0",
            method: `notifications/${kind}/list_changed`,
          });
    } catch (error) {
      this.#options.say(`could not tell clients about the reload: ${describe(error)}`);
    }
  }

  /** Closes a replaced generation once its requests are done (or after RETIRE_AFTER_MS). */
  #retire(generation: Generation): void {
    const timer = setTimeout(() => void this.#closeGeneration(generation), RETIRE_AFTER_MS);
    timer.unref();
    generation.onIdle = () => {
      clearTimeout(timer);
      void this.#closeGeneration(generation);
    };
    if (generation.inFlight === 0) generation.onIdle();
  }

  /** Ends a generation: its lifespan, its running requests, and a file's own `await mcp.run()`. */
  #closeGeneration(generation: Generation): Promise<void> {
    generation.onIdle = undefined;
    this.#host?.forget(generation);
    generation.release();
    const closing = generation.server
      .close()
      .catch((error: unknown) =>
        this.#options.say(`closing version ${generation.number} failed: ${describe(error)}`),
      )
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  /** Stops watching and serving: open streams end, every generation closes. */
  async close(): Promise<void> {
    this.#watcher.close();
    await this.#reloading;
    const server = this.#listening.server;
    const stopped = stopAccepting(server);
    await this.#endpoint.closeStreams();
    for (const generation of this.#host.generations()) void this.#closeGeneration(generation);
    await Promise.allSettled([...this.#closing]);
    server.closeAllConnections();
    await stopped;
    setDevHook(undefined);
  }
}

/**
 * An error as the person needs it: the generation's query taken out of file
 * URLs, and stack frames inside node_modules or Node itself (a TypeScript
 * syntax error's are all esbuild's) left out.
 */
function describe(error: unknown): string {
  const text =
    error instanceof CliError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  return text
    .replace(/[?&]fastmcp-dev=\d+/g, "")
    .split("\n")
    .filter((line) => !/^\s+at .*(node_modules|node:internal)/.test(line))
    .join("\n");
}

/** A path as the person knows it: relative to where the command runs, unless that climbs out. */
function shown(path: string, cwd: string): string {
  const short = relative(cwd, path);
  return short === "" || short.startsWith("..") || isAbsolute(short) ? path : short;
}
