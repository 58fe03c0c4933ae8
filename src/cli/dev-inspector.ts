import { type ChildProcess, spawn } from "node:child_process";
import type { CliIO } from "./command.js";

const INSPECTOR = "@modelcontextprotocol/inspector";

/**
 * The official MCP Inspector, opened on a Streamable HTTP URL: its web UI
 * starts with the transport and URL filled in. `FASTMCP_INSPECTOR_COMMAND`
 * names the program to run instead of `npx` (a wrapper, a pinned install).
 */
export function inspectorCommand(
  url: string,
  env: CliIO["env"],
): { command: string; args: string[] } {
  return {
    command: env.FASTMCP_INSPECTOR_COMMAND || "npx",
    args: ["-y", INSPECTOR, "--transport", "http", "--server-url", url],
  };
}

/** The command line to show, for a person to run it. */
export function inspectorHint(url: string): string {
  return `npx ${INSPECTOR} --transport http --server-url ${url}`;
}

/**
 * `--inspector`: starts the Inspector beside the server, its output on the
 * command's own. It is stopped when the command stops; its failing to start
 * (no npx, no network for npx to fetch it) is said, and serving goes on.
 */
export function startInspector(url: string, io: CliIO): ChildProcess {
  const { command, args } = inspectorCommand(url, io.env);
  io.err(`fastmcp-ts dev: starting the MCP Inspector: ${command} ${args.join(" ")}\n`);
  const child = spawn(command, args, {
    cwd: io.cwd,
    env: io.env,
    stdio: ["ignore", "inherit", "inherit"],
    // npx is npx.cmd on Windows, which only a shell runs.
    shell: process.platform === "win32",
  });
  child.on("error", (error) =>
    io.err(
      `fastmcp-ts dev: the MCP Inspector did not start (${error.message}); run it yourself: ${inspectorHint(url)}\n`,
    ),
  );
  child.on("exit", (code, signal) => {
    if (signal === null && code !== 0)
      io.err(`fastmcp-ts dev: the MCP Inspector exited with code ${code}\n`);
  });
  return child;
}
