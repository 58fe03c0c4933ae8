/**
 * What tracing costs a Streamable HTTP server, in the server's CPU time per
 * request: the `call-otel` workloads' three servers (bench/servers/
 * fastmcp-ts.mjs untraced; with `openTelemetry()` and no SDK; with the SDK
 * recording every span), run side by side, sent the call-modern request in
 * alternating rounds. The server's CPU comes from /proc (user + system), so
 * other processes on a busy machine move the figure far less than they move
 * wall-clock throughput (which `npm run bench` reports).
 *
 *   npm run build && node --import tsx bench/src/otel-http-cpu.ts [--rounds=9] [--requests=6000]
 */
import { readFileSync } from "node:fs";
import { FRAMEWORKS } from "./frameworks.ts";
import { modernCall } from "./messages.ts";
import { ServerProcess } from "./server-process.ts";
import type { ServerConfig } from "./workloads.ts";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const ROUNDS = arg("rounds", 9);
const REQUESTS = arg("requests", 6000);
const CONCURRENCY = 50;

const framework = FRAMEWORKS.find((f) => f.id === "fastmcp-ts");
if (!framework) throw new Error("no fastmcp-ts framework entry");
const plain: ServerConfig = { tools: 1, stateful: false, response: "json" };
const modes: { name: string; config: ServerConfig }[] = [
  { name: "untraced", config: plain },
  // The same server again: how far two identical servers differ is the noise.
  { name: "untraced, a second process (control)", config: plain },
  { name: "openTelemetry(), no SDK", config: { ...plain, telemetry: "api" } },
  { name: "openTelemetry(), SDK recording", config: { ...plain, telemetry: "sdk" } },
  {
    name: "openTelemetry({ stepSpans: true }), SDK recording",
    config: { ...plain, telemetry: "sdk-steps" },
  },
  {
    name: "openTelemetry(), SDK recording, no async context manager",
    config: { ...plain, telemetry: "sdk-no-context" },
  },
];

/** The process's user + system CPU, in seconds (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const call = modernCall();
const body = JSON.stringify(call.body);

async function load(url: string, requests: number): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < requests) {
      sent++;
      const response = await fetch(url, { method: "POST", headers: call.headers, body });
      const text = await response.text();
      if (!text.includes('"sum":3')) throw new Error(`wrong answer: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const servers = await Promise.all(modes.map((m) => ServerProcess.start(framework, m.config)));
try {
  for (const server of servers) await load(server.url, 2000);
  const perRequest: number[][] = modes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, server] of servers.entries()) {
      const pid = server.child.pid as number;
      const before = cpuSeconds(pid);
      await load(server.url, REQUESTS);
      perRequest[i]?.push(((cpuSeconds(pid) - before) / REQUESTS) * 1e6);
    }
  }
  const base = median(perRequest[0] as number[]);
  for (const [i, mode] of modes.entries()) {
    const us = median(perRequest[i] as number[]);
    console.log(
      `${mode.name}: ${us.toFixed(1)} µs of server CPU per request, ${((base / us) * 100).toFixed(1)}% of the untraced throughput per CPU`,
    );
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
