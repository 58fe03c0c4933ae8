import { type Framework, legacyVersionOf } from "./frameworks.ts";
import { legacyCall } from "./messages.ts";
import { ServerProcess } from "./server-process.ts";
import { percentile } from "./stats.ts";

export interface StdioResult {
  readonly roundTripsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A stdio server and a line-reading client with one request in flight at a time. */
class StdioSession {
  readonly #server: ReturnType<typeof ServerProcess.spawnRaw>;
  #buffer = "";
  #waiting: ((message: Record<string, unknown>) => void) | undefined;
  #nextId = 1;

  constructor(framework: Framework) {
    this.#server = ServerProcess.spawnRaw(
      framework,
      { tools: 1, stateful: true, response: "json" },
      { transport: "stdio" },
    );
    this.#server.stderr?.resume();
    this.#server.stdout?.setEncoding("utf8");
    this.#server.stdout?.on("data", (chunk: string) => {
      this.#buffer += chunk;
      let newline = this.#buffer.indexOf("\n");
      while (newline !== -1) {
        const line = this.#buffer.slice(0, newline).trim();
        this.#buffer = this.#buffer.slice(newline + 1);
        if (line !== "") {
          const message = JSON.parse(line) as Record<string, unknown>;
          if ("id" in message && ("result" in message || "error" in message)) {
            const waiting = this.#waiting;
            this.#waiting = undefined;
            waiting?.(message);
          }
        }
        newline = this.#buffer.indexOf("\n");
      }
    });
  }

  request(method: string, params: object): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} in 10 s`)), 10_000);
      this.#waiting = (message) => {
        clearTimeout(timer);
        if (message.id !== id) reject(new Error(`answer for id ${String(message.id)}, not ${id}`));
        else resolve(message);
      };
      this.#server.stdin?.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  notify(method: string): void {
    this.#server.stdin?.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#server.once("exit", resolve));
    this.#server.stdin?.end();
    const timer = setTimeout(() => this.#server.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** Sequential tools/call round trips over stdio after initialize; checked, warmed up, timed. */
export async function benchStdio(
  framework: Framework,
  warmupSeconds: number,
  seconds: number,
): Promise<StdioResult> {
  if (framework.noStdio !== undefined) throw new Error(framework.noStdio);
  const session = new StdioSession(framework);
  try {
    const init = await session.request("initialize", {
      protocolVersion: legacyVersionOf(framework),
      capabilities: {},
      clientInfo: { name: "bench", version: "1.0.0" },
    });
    if (!("result" in init)) throw new Error(`initialize failed: ${JSON.stringify(init)}`);
    session.notify("notifications/initialized");
    const params = (legacyCall().body as { params: object }).params;
    const first = (await session.request("tools/call", params)) as {
      result?: { structuredContent?: { sum?: number } };
    };
    if (first.result?.structuredContent?.sum !== 3)
      throw new Error(`wrong answer over stdio: ${JSON.stringify(first)}`);
    const loop = async (ms: number) => {
      const latencies: number[] = [];
      const end = performance.now() + ms;
      let now = performance.now();
      while (now < end) {
        await session.request("tools/call", params);
        const after = performance.now();
        latencies.push(after - now);
        now = after;
      }
      return latencies;
    };
    await loop(warmupSeconds * 1000);
    const started = performance.now();
    const latencies = await loop(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((x, y) => x - y);
    return {
      roundTripsPerSecond: latencies.length / elapsed,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await session.stop();
  }
}
