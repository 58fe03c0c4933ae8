import type { MessageTransport } from "../transports/connection.js";
import { StdioServerTransport } from "../transports/stdio.js";

/**
 * `mcp.run()` over stdio: serves stdin/stdout until the client closes it or
 * the process is told to stop (SIGINT/SIGTERM), then closes the server.
 * `onTerminal` runs when stdin is a terminal (a person started it by hand).
 * `stdio`: the transport, when the caller (the command) made its own.
 */
export async function runStdio(
  connect: (transport: MessageTransport) => Promise<void>,
  close: () => Promise<void>,
  onTerminal: () => void,
  stdio: StdioServerTransport = new StdioServerTransport(),
): Promise<void> {
  const done = new Promise<void>((resolve) => {
    stdio.onclose = resolve;
  });
  // A failed connect (stdin already served by a first run()) leaves that run alone.
  await connect(stdio);
  // Started by hand in a terminal, a stdio server would otherwise look dead.
  if (process.stdin.isTTY) onTerminal();
  const stop = () => void close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await done;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await close();
  }
}
