/**
 * Module hooks for `fastmcp-ts dev` (registered with `module.register`, so
 * they run in Node's hooks thread; nothing here may import the rest of the
 * package, so it stays a small module of its own in dist/). Each reload
 * imports the server file with `?fastmcp-dev=<n>`, and this hook gives every
 * file the file imports, directly or not, the same query: a new URL is a new module, so the whole of the user's code is
 * evaluated afresh, while Node keeps one copy of what is not the user's
 * (node_modules, the framework's own src/ and dist/), so packages are not
 * loaded again on every change and the framework's objects stay one kind.
 * Every user file is reported to the command, which watches it.
 */
import type { MessagePort } from "node:worker_threads";

export interface DevLoaderData {
  /** Receives `{ generation, url }` for every user file a generation resolves; answers pings. */
  readonly port: MessagePort;
  /** Folders (with a trailing slash, as file: URLs) whose files are never reloaded. */
  readonly shared: readonly string[];
  /** The query parameter that names a generation (`fastmcp-dev`). */
  readonly param: string;
}

interface ResolveContext {
  readonly parentURL?: string | undefined;
  readonly conditions: readonly string[];
  readonly importAttributes: Record<string, string>;
}

interface ResolveResult {
  readonly url: string;
  readonly format?: string | null | undefined;
  readonly shortCircuit?: boolean | undefined;
  readonly importAttributes?: Record<string, string> | undefined;
}

type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

let settings: DevLoaderData | undefined;

export function initialize(data: DevLoaderData): void {
  settings = data;
  // A ping comes back after every report posted before it (one port keeps order),
  // so the command can wait until it knows all of a generation's files.
  data.port.on("message", (ping: unknown) => data.port.postMessage({ pong: ping }));
  data.port.unref();
}

/** The generation a URL belongs to, from its query; undefined for code outside any. */
function generationOf(url: string | undefined, param: string): string | undefined {
  if (url === undefined || !url.startsWith("file:")) return undefined;
  const query = url.indexOf("?");
  if (query === -1) return undefined;
  const hash = url.indexOf("#", query);
  const search = new URLSearchParams(url.slice(query + 1, hash === -1 ? undefined : hash));
  return search.get(param) ?? undefined;
}

function isShared(path: string, shared: readonly string[]): boolean {
  return /\/node_modules\//.test(path) || shared.some((dir) => path.startsWith(dir));
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<ResolveResult> {
  const resolved = await nextResolve(specifier, context);
  const { url } = resolved;
  if (settings === undefined || !url.startsWith("file:")) return resolved;
  const { port, shared, param } = settings;
  const path = url.replace(/[?#].*$/s, "");
  if (isShared(path, shared)) return resolved;
  const own = generationOf(url, param);
  const generation = own ?? generationOf(context.parentURL, param);
  if (generation === undefined) return resolved;
  port.postMessage({ generation, url: path });
  if (own !== undefined) return resolved;
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  const tagged = `${base}${base.includes("?") ? "&" : "?"}${param}=${generation}`;
  return { ...resolved, url: hash === -1 ? tagged : `${tagged}${url.slice(hash)}` };
}
