/**
 * Processes of test/fixtures/redis/server.ts, each a separate `node` serving
 * one MCP server with its state in Redis, for the test/redis/cluster* tests;
 * and what those tests wait on and read.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createClient } from "@redis/client";
import { ROOT } from "./clients.ts";

const FIXTURE = join(ROOT, "test/fixtures/redis/server.ts");
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Served {
  readonly child: ChildProcess;
  readonly port: number;
  /** The MCP endpoint. */
  readonly url: string;
  /** Where /healthz and /readyz are. */
  readonly base: string;
  stderr: string;
}

/**
 * Starts one process labelled `label` (its tools say it) on a port of the
 * kernel's choice; `env` adds settings (TASK_LEASE_MS, SHUTDOWN_TIMEOUT_MS).
 */
export async function startServer(
  redisUrl: string,
  label: string,
  env: Record<string, string> = {},
): Promise<Served> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: { ...process.env, ...env, REDIS_URL: redisUrl, LABEL: label },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const served = { child, port: 0, url: "", base: "", stderr: "" };
  child.stderr?.on("data", (chunk: Buffer) => {
    served.stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start:\n${served.stderr}`)),
      30_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${served.stderr}`));
    });
  });
  child.removeAllListeners("exit");
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(served, { port, url: `${base}/mcp`, base });
}

/** SIGTERM to each process still running; resolves once all exited. */
export async function stopServers(servers: readonly Served[]): Promise<void> {
  await Promise.all(
    servers.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }),
  );
}

/** Whether some process listens on a pub/sub channel (asked of Redis itself). */
export async function subscribers(redisUrl: string, channel: string): Promise<boolean> {
  const raw = createClient({ url: redisUrl });
  await raw.connect();
  try {
    const reply = (await raw.sendCommand(["PUBSUB", "NUMSUB", channel])) as [string, number];
    return reply[1] > 0;
  } finally {
    await raw.close();
  }
}

export async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

export interface SseEvent {
  id?: string;
  data: string;
}

/**
 * Reads an SSE response until `enough` says so or it ends; returns the events
 * with an id or data, and whether the server ended the stream.
 */
export async function readStream(
  response: Response,
  enough: (events: SseEvent[]) => boolean,
): Promise<{ events: SseEvent[]; ended: boolean }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  let ended = false;
  while (!enough(events)) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("id:")) event.id = line.slice(3).trim();
        if (line.startsWith("data:")) event.data += line.slice(5).trim();
      }
      if (event.id !== undefined || event.data !== "") events.push(event);
      end = buffer.indexOf("\n\n");
    }
  }
  if (!ended) await reader.cancel().catch(() => undefined);
  return { events, ended };
}

/** Reads an SSE response until `enough` says so (or it ends); returns the events with data. */
export async function readEvents(
  response: Response,
  enough: (events: SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  return (await readStream(response, enough)).events;
}
