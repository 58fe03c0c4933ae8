/**
 * What the `fastmcp-ts` command adds to a server's start over stdio: the
 * milliseconds from spawn to the answer to `initialize`, for the same
 * JavaScript server file run by `node file.mjs` and by `fastmcp-ts run
 * file.mjs`, and for the file as TypeScript (`.mts`), which loads tsx.
 * Starts go round the three in turn; medians are reported.
 */
import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT_DIR, SERVERS_DIR } from "./paths.ts";
import { median } from "./stats.ts";

export interface CliStart {
  /** `node fastmcp-ts-json.mjs` */
  readonly node: readonly number[];
  /** `node dist/cli/bin.js run fastmcp-ts-json.mjs` */
  readonly cli: readonly number[];
  /** `node dist/cli/bin.js run fastmcp-ts-json.mts` (tsx loaded) */
  readonly cliTypeScript: readonly number[];
}

const SERVER = join(SERVERS_DIR, "fastmcp-ts-json.mjs");
const BIN = join(ROOT_DIR, "dist/cli/bin.js");
const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  },
})}\n`;

function firstAnswerMs(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: SERVERS_DIR,
    env: { ...process.env, TRANSPORT: "stdio", TOOLS: "1", NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.write(INITIALIZE);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes("\n")) return;
      const elapsed = performance.now() - started;
      child.kill("SIGKILL");
      if (!out.includes('"protocolVersion"'))
        reject(new Error(`wrong first answer: ${out.slice(0, 200)}`));
      else resolve(elapsed);
    });
    child.on("exit", (code) => {
      if (!out.includes("\n"))
        reject(new Error(`exited (${code}) before answering: ${stderr.trim()}`));
    });
  });
}

export async function cliStart(starts: number): Promise<CliStart> {
  const typescript = join(SERVERS_DIR, ".cli-start.mts");
  copyFileSync(SERVER, typescript);
  const commands = {
    node: [SERVER],
    cli: [BIN, "run", SERVER],
    cliTypeScript: [BIN, "run", typescript],
  };
  const out: Record<keyof CliStart, number[]> = { node: [], cli: [], cliTypeScript: [] };
  try {
    // One unmeasured start each first, so every measured one finds its files cached.
    for (const args of Object.values(commands)) await firstAnswerMs(args);
    for (let i = 0; i < starts; i++)
      for (const [key, args] of Object.entries(commands))
        out[key as keyof CliStart].push(await firstAnswerMs(args));
  } finally {
    rmSync(typescript, { force: true });
  }
  return out;
}

/** The report's lines: medians, and the command's added cost against the target. */
export function cliStartSection(result: CliStart): string[] {
  const node = median([...result.node]);
  const cli = median([...result.cli]);
  const ts = median([...result.cliTypeScript]);
  const added = cli - node;
  return [
    "### The fastmcp-ts command: start over stdio",
    "",
    "Milliseconds from spawn to the answer to `initialize` over stdio, the same server file (`bench/servers/fastmcp-ts-json.mjs`) started three ways (medians):",
    "",
    "| started as | first answer | added |",
    "| --- | ---: | ---: |",
    `| \`node fastmcp-ts-json.mjs\` | ${node.toFixed(1)} ms | – |`,
    `| \`fastmcp-ts run fastmcp-ts-json.mjs\` | ${cli.toFixed(1)} ms | +${added.toFixed(1)} ms |`,
    `| \`fastmcp-ts run\` on it as \`.mts\` (tsx loaded) | ${ts.toFixed(1)} ms | +${(ts - node).toFixed(1)} ms |`,
    "",
    `Target: the command adds at most 20 ms to a JavaScript file: ${added <= 20 ? "met" : "**not met**"} (+${added.toFixed(1)} ms). The TypeScript loader's cost is reported apart, with no target.`,
    "",
  ];
}
