import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { CliError, EXIT } from "./errors.js";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A config file that holds comments or trailing commas (VS Code's JSONC):
 * rewriting it through JSON.parse/stringify would drop the comments, so the
 * command leaves it alone and shows the entry to paste instead.
 */
export class CommentedConfigError extends CliError {
  constructor(readonly path: string) {
    super(
      `${path} has comments or trailing commas (JSONC), which rewriting it would lose; it was left as it is: paste the entry printed above into it`,
      EXIT.failure,
    );
  }
}

/**
 * JSON with `//` and `/* *\/` comments and trailing commas removed, strings
 * kept whole; used only to tell a JSONC file from a broken one.
 */
function stripJsonc(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
      out += " ";
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/** Reads a config file: {} when it is missing or empty; a clear error when it is not a JSON object. */
export function readConfig(path: string): JsonObject {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    try {
      JSON.parse(stripJsonc(text));
    } catch {
      throw new CliError(
        `${path} is not valid JSON (${(error as Error).message}); it was left as it is: fix it, or move it away and run install again`,
        EXIT.failure,
      );
    }
    throw new CommentedConfigError(path);
  }
  if (!isObject(data))
    throw new CliError(`${path} is not a JSON object; it was left as it is`, EXIT.failure);
  return data;
}

/**
 * Puts `entry` under `data[key][name]`, keeping every other key and server;
 * an entry of the same name keeps its place. Returns whether one was replaced.
 */
export function mergeEntry(
  data: JsonObject,
  key: string,
  name: string,
  entry: JsonObject,
  path: string,
): boolean {
  const servers = data[key] ?? {};
  if (!isObject(servers))
    throw new CliError(`${path}: "${key}" is not an object; it was left as it is`, EXIT.failure);
  const replaced = Object.hasOwn(servers, name);
  data[key] = { ...servers, [name]: entry };
  return replaced;
}

/**
 * Writes the file whole or not at all (a temporary file renamed over it), so
 * a client reading it meanwhile never sees half a file. A symlinked config
 * (dotfiles) is written where the link points; an existing file keeps its
 * mode; a new one is private to the user, as it may hold API keys in `env`.
 */
export function writeConfig(path: string, data: JsonObject): void {
  const target = existsSync(path) ? realpathSync(path) : path;
  const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o600;
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.fastmcp-${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, target);
}
