/**
 * A redis-server for the `session-redis` workload: started on first use on a
 * free loopback port (nothing written to disk), on the load core's side of
 * the machine like the harness, and killed when the harness exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";

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
  // No pipes: an open pipe would keep the harness alive after its last workload.
  const server = spawn(
    process.env.REDIS_SERVER ?? "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  server.unref();
  child = server;
  process.once("exit", () => child?.kill("SIGKILL"));
  let failure: Error | undefined;
  server.once("error", (error) => {
    failure = new Error(
      `redis-server could not run (apt-get install redis-server): ${error.message}`,
    );
  });
  // Ready once it accepts a connection.
  for (let attempt = 0; ; attempt++) {
    if (failure !== undefined) throw failure;
    if (await accepts(port)) break;
    if (attempt > 100) throw new Error(`redis-server did not listen on port ${port} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `redis://127.0.0.1:${port}`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
