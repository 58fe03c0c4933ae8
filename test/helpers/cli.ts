/** Runs the `fastmcp-ts` command from src/ as a subprocess, as a user's shell would. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./clients.ts";

export const CLI = join(ROOT, "src/cli/bin.ts");
export const CLI_FIXTURES = join(ROOT, "test/fixtures/cli");

/** The command line that starts the command: node with tsx, then bin.ts. */
export function cliCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", CLI, ...args] };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command to its end (with `input` on stdin, if any). */
export function runCli(
  args: string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  const { command, args: full } = cliCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, full, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Starts the command serving HTTP; resolves with the URL it announces on stderr. */
export function startCliHttp(
  args: string[],
): Promise<{ url: string; child: ChildProcess; stderr: () => string; stop(): Promise<void> }> {
  const { command, args: full } = cliCommand(args);
  const child = spawn(command, full, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL announced within 20 s; stderr:\n${stderr}`));
    }, 20_000);
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
      const match = /Serving MCP over Streamable HTTP at (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          child,
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the command exited (${code}) before serving; stderr:\n${stderr}`));
    });
  });
}
