import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CliError, EXIT } from "./errors.js";

/** `--env-file`: Node's own .env reader (variables already set win, as with `node --env-file`). */
export function loadEnvFile(file: string, cwd: string): void {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliError(`--env-file: no such file: ${path}`, EXIT.usage);
  const load = (process as { loadEnvFile?: (path: string) => void }).loadEnvFile;
  if (load === undefined)
    throw new CliError("--env-file needs Node.js 20.12 or newer (process.loadEnvFile)", EXIT.usage);
  const before = { ...process.env };
  load(path);
  // process.loadEnvFile overwrites; a variable the environment already had keeps its value.
  for (const [key, value] of Object.entries(before)) process.env[key] = value;
}
