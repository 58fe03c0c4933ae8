import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { DevLoaderData } from "./dev-loader.js";

const GENERATION_PARAM = "fastmcp-dev";

/**
 * The user's code, generation by generation, for `fastmcp-ts dev`: installs
 * the module hook that gives each generation a module graph of its own
 * (`dev-loader.ts`) and tells the watcher about every user file a generation
 * loads. CommonJS files never reach ES module hooks on Node 20, so those are
 * found in, and dropped from, `require.cache` before each generation.
 */
export class DevModules {
  /** Framework folders (src/ and dist/ of this package): loaded once, never reloaded. */
  readonly #shared: readonly string[];
  readonly #onFile: (path: string) => void;
  readonly #cache = createRequire(import.meta.url).cache;
  readonly #port: MessagePort;
  readonly #pongs = new Map<number, () => void>();
  #pings = 0;

  private constructor(
    shared: readonly string[],
    onFile: (path: string) => void,
    port: MessagePort,
  ) {
    this.#shared = shared;
    this.#onFile = onFile;
    this.#port = port;
    port.on("message", (message: { url?: string; pong?: number }) => {
      if (message.url !== undefined) onFile(fileURLToPath(message.url));
      else if (message.pong !== undefined) this.#pongs.get(message.pong)?.();
    });
    // The port must not keep the command alive once it stops serving.
    port.unref();
  }

  /** Registers the hook (once per process); `onFile` hears of every user file loaded. */
  static install(onFile: (path: string) => void): DevModules {
    // This file is src/cli/dev-modules.ts, or bundled into dist/cli/ or dist/chunks/:
    // two folders below the package's root either way.
    const root = new URL("../../", import.meta.url).href;
    const shared = [`${root}src/`, `${root}dist/`];
    const { port1, port2 } = new MessageChannel();
    const modules = new DevModules(
      shared.map((url) => fileURLToPath(url)),
      onFile,
      port1,
    );
    const fromSource = import.meta.url.endsWith(".ts");
    const loader = new URL(
      fromSource ? "./dev-loader.ts" : "../cli/dev-loader.js",
      import.meta.url,
    );
    const data: DevLoaderData = { port: port2, shared, param: GENERATION_PARAM };
    register(loader, { parentURL: import.meta.url, data, transferList: [port2] });
    return modules;
  }

  /** Resolves once every file reported before now has reached `onFile`. */
  reported(): Promise<void> {
    const ping = ++this.#pings;
    // Held while waiting, or nothing might keep the process alive until the answer.
    this.#port.ref();
    return new Promise((resolve) => {
      this.#pongs.set(ping, () => {
        this.#pongs.delete(ping);
        if (this.#pongs.size === 0) this.#port.unref();
        resolve();
      });
      this.#port.postMessage(ping);
    });
  }

  /** The query that puts a file, and what it imports, in generation `n`. */
  static query(generation: number): string {
    return `?${GENERATION_PARAM}=${generation}`;
  }

  /** After a generation loaded: reports the user's CommonJS files, to be watched. */
  reportCommonJs(): void {
    for (const path of this.#userCommonJs()) this.#onFile(path);
  }

  /** Before a generation loads: forgets the user's CommonJS modules, so `require` evaluates them again. */
  forgetCommonJs(): void {
    for (const path of this.#userCommonJs()) delete this.#cache[path];
  }

  #userCommonJs(): string[] {
    return Object.keys(this.#cache).filter(
      (path) =>
        !/[\\/]node_modules[\\/]/.test(path) && !this.#shared.some((dir) => path.startsWith(dir)),
    );
  }
}
