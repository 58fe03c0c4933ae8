import { Console } from "node:console";
import type { OptionSpecs, Parsed } from "./command.js";
import { stringFlag } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { HttpWire } from "./http-wire.js";
import { loadServer, parseFileSpec } from "./load.js";
import { type EraChoice, McpSession } from "./session.js";
import { MemoryWire } from "./wire.js";

/** The flags `inspect` and `call` share: how to reach the server. */
export const TARGET_OPTIONS: OptionSpecs = {
  header: { type: "string", short: "H", multiple: true },
  era: { type: "string" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
};

export const TARGET_HELP = `  -H, --header <h>    URL: an HTTP header, "Name: value" (repeatable), such as
                      --header "Authorization: Bearer <token>"
  --era <era>         auto (default: 2026-07-28, else the legacy handshake),
                      modern (2026-07-28 only) or legacy (initialize and a session)
  --timeout <s>       URL: seconds to wait for each answer (default 60)
  -h, --help          this text`;

const ERAS: readonly EraChoice[] = ["auto", "modern", "legacy"];
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/** A server the command talks to, and how to let it go. */
export interface OpenedTarget {
  readonly session: McpSession;
  /** Ends the conversation (and, for a file, stops its server); never throws. */
  close(): Promise<void>;
}

/**
 * Opens a conversation with the server a file defines (loaded here and
 * spoken to in memory) or one serving at a URL (over HTTP). Every flag is
 * checked before anything loads or connects.
 */
export async function openTarget(
  spec: string,
  parsed: Parsed,
  cwd: string,
  command: string,
): Promise<OpenedTarget> {
  const era = eraFlag(parsed);
  const headers = headerFlags(parsed);
  const timeoutMs = timeoutFlag(parsed);
  if (isUrl(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new CliError(`"${spec}" is not a URL`, EXIT.usage);
    }
    const session = await McpSession.open(new HttpWire(url, { headers, timeoutMs }), era);
    return { session, close: () => session.close() };
  }
  const given = Object.keys(headers).length > 0 ? "--header" : undefined;
  const timed = stringFlag(parsed, "timeout") !== undefined ? "--timeout" : undefined;
  for (const flag of [given, timed])
    if (flag !== undefined)
      throw new CliError(
        `${flag} applies to a URL; fastmcp-ts ${command} ${spec} calls the file's server in-process`,
        EXIT.usage,
      );
  return openFile(spec, cwd, era);
}

async function openFile(spec: string, cwd: string, era: EraChoice): Promise<OpenedTarget> {
  // The command's answer goes to stdout (JSON for scripts, perhaps): what the
  // server's own code prints must not land in the middle of it.
  const restore = stdoutToStderr();
  let loaded: Awaited<ReturnType<typeof loadServer>> | undefined;
  let wire: MemoryWire | undefined;
  const close = async () => {
    await wire?.close();
    await loaded?.server.close().catch(() => {});
    loaded?.release();
    restore();
    // A file may leave timers or sockets running that would keep the
    // command alive after its answer; they get a moment, not forever.
    setTimeout(() => process.exit(), 2000).unref();
  };
  try {
    loaded = await loadServer(spec, cwd);
    wire = await MemoryWire.connect(loaded.server, parseFileSpec(spec).file);
    const session = await McpSession.open(wire, era);
    return { session, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Sends console output and `process.stdout` writes to stderr until the returned function runs. */
function stdoutToStderr(): () => void {
  const stdout = process.stdout;
  const write = stdout.write;
  const console = globalThis.console;
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  return () => {
    stdout.write = write;
    globalThis.console = console;
  };
}

function eraFlag(parsed: Parsed): EraChoice {
  const value = stringFlag(parsed, "era") ?? "auto";
  if (!(ERAS as readonly string[]).includes(value))
    throw new CliError(`--era must be one of ${ERAS.join(", ")}, not "${value}"`, EXIT.usage);
  return value as EraChoice;
}

/** `--header "Name: value"`, names in lower case (HTTP's are case-blind). */
function headerFlags(parsed: Parsed): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of (parsed.values.header as string[] | undefined) ?? []) {
    const colon = raw.indexOf(":");
    const name = colon > 0 ? raw.slice(0, colon).trim() : "";
    if (!HEADER_NAME.test(name))
      throw new CliError(
        // Not echoed: the value may be a token.
        `--header takes "Name: value", such as "Authorization: Bearer <token>"; one given has no name before a colon`,
        EXIT.usage,
      );
    headers[name.toLowerCase()] = raw.slice(colon + 1).trim();
  }
  return headers;
}

function timeoutFlag(parsed: Parsed): number {
  const value = stringFlag(parsed, "timeout");
  if (value === undefined) return 60_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new CliError(`--timeout takes seconds, a number above 0, not "${value}"`, EXIT.usage);
  return seconds * 1000;
}
