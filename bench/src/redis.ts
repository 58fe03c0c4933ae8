/**
 * A redis-server for the `session-redis` workload: started on first use on a
 * free loopback port (nothing written to disk), on the load core's side of
 * the machine like the harness, and killed when the harness exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

let started: Promise<string> | undefined;
let child: ChildProcess | undefined;

/** The URL of the bench's Redis, started the first time it is asked for. */
export function benchRedisUrl(): Promise<string> {
  started ??= start();
  return started;
}

async function start(): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const free = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(free));
    });
  });
  const server = spawn(
    process.env.REDIS_SERVER ?? "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child = server;
  process.once("exit", () => child?.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${output}`)),
      10_000,
    );
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        server.stdout?.resume();
        resolve();
      }
    });
    server.once("error", (error) => {
      clearTimeout(timer);
      reject(
        new Error(`redis-server could not run (apt-get install redis-server): ${error.message}`),
      );
    });
  });
  return `redis://127.0.0.1:${port}`;
}
