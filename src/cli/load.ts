import { existsSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { FastMCP } from "../server.js";
import { setRunHook } from "../serving/cli-hook.js";
import type { RunOptions } from "../serving/run-options.js";
import { CliError, EXIT } from "./errors.js";

/** The export names tried, in order, when the file spec names none. */
const EXPORT_NAMES = ["default", "mcp", "server", "app"];
const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

/** A server a file gave the command. */
export interface LoadedServer {
  readonly server: FastMCP;
  /** The options the file passed to `mcp.run()`, when it called it. */
  readonly fileRunOptions: RunOptions | undefined;
  /** Lets the file's own `await mcp.run()` return, once the command's run is over. */
  release(): void;
}

/** `server.ts`, `server.ts:weather`: the file and, optionally, the export to serve. */
export function parseFileSpec(spec: string): { file: string; exportName: string | undefined } {
  const colon = spec.lastIndexOf(":");
  if (colon > 0 && /^[A-Za-z_$][\w$]*$/.test(spec.slice(colon + 1)))
    return { file: spec.slice(0, colon), exportName: spec.slice(colon + 1) };
  return { file: spec, exportName: undefined };
}

function isServer(value: unknown): value is FastMCP {
  const candidate = value as Partial<FastMCP> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.run === "function" &&
    typeof candidate.callTool === "function" &&
    typeof candidate.connect === "function"
  );
}

let typeScriptRegistered = false;

/**
 * Makes `import()` understand TypeScript, with tsx, only when a TypeScript
 * file is loaded (its hooks cost tens of milliseconds). Both of its hooks:
 * a `.ts` file outside an ES module package is CommonJS to Node.
 */
async function registerTypeScript(file: string): Promise<void> {
  // Once: `dev` loads the file again on every change, and hooks only pile up.
  if (typeScriptRegistered) return;
  type Api = { register(): unknown };
  let apis: [Api, Api];
  try {
    apis = (await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")])) as [Api, Api];
  } catch {
    throw new CliError(
      `${file} is TypeScript, and running it needs tsx: npm install --save-dev tsx (or compile it and run the .js file)`,
      EXIT.usage,
    );
  }
  for (const api of apis) api.register();
  typeScriptRegistered = true;
}

/**
 * Imports a server file and finds its server: the one it hands to
 * `mcp.run()` (taken over by the command), or the export named in the spec,
 * or the first of `default`, `mcp`, `server`, `app` that is a server.
 * `query` is added to the file's URL (`dev` loads each version under its own).
 */
export async function loadServer(
  spec: string,
  cwd = process.cwd(),
  query = "",
): Promise<LoadedServer> {
  const { file, exportName } = parseFileSpec(spec);
  const path = resolve(cwd, file);
  if (!existsSync(path))
    throw new CliError(
      `No such file: ${path}. Give the path of a file that defines a FastMCP server.`,
      EXIT.usage,
    );
  if (TYPESCRIPT.has(extname(path))) await registerTypeScript(file);

  let release: () => void = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  const captured = new Promise<{ server: unknown; options: RunOptions }>((resolveCapture) => {
    setRunHook((server, options) => {
      resolveCapture({ server, options });
      return released;
    });
  });
  try {
    const imported = import(pathToFileURL(path).href + query).then(
      (module: Record<string, unknown>) => ({ module }),
      (error: unknown) => ({ error }),
    );
    const first = await Promise.race([captured.then((c) => ({ captured: c })), imported]);
    if ("captured" in first) {
      if (!isServer(first.captured.server))
        throw new CliError(
          `${file} called run() on something that is not a FastMCP server`,
          EXIT.failure,
        );
      return { server: first.captured.server, fileRunOptions: first.captured.options, release };
    }
    if ("error" in first) {
      const error = first.error as Error;
      throw new CliError(`${file} failed to load: ${error?.stack ?? String(error)}`, EXIT.failure);
    }
    return {
      server: pickExport(first.module, file, exportName),
      fileRunOptions: undefined,
      release,
    };
  } finally {
    setRunHook(undefined);
  }
}

function pickExport(
  imported: Record<string, unknown>,
  file: string,
  exportName: string | undefined,
): FastMCP {
  // A CommonJS file's exports arrive as `default` (its module.exports).
  const cjs = imported.default;
  const module =
    typeof cjs === "object" && cjs !== null && !isServer(cjs)
      ? { ...(cjs as Record<string, unknown>), ...imported }
      : imported;
  if (exportName !== undefined) {
    const value = module[exportName];
    if (isServer(value)) return value;
    throw new CliError(
      `${file} has no FastMCP server exported as "${exportName}" (its exports: ${Object.keys(module).join(", ") || "none"})`,
      EXIT.usage,
    );
  }
  for (const name of EXPORT_NAMES) if (isServer(module[name])) return module[name];
  const servers = Object.keys(module).filter((name) => isServer(module[name]));
  if (servers.length === 1) return module[servers[0] as string] as FastMCP;
  throw new CliError(
    servers.length > 1
      ? `${file} exports several servers (${servers.join(", ")}): name one, as ${file}:${servers[0]}`
      : `${file} exports no FastMCP server: export it (export default mcp, or export const mcp = ...), or call mcp.run() in the file`,
    EXIT.usage,
  );
}
