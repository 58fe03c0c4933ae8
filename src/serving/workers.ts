/**
 * `run({ workers: N })`: N processes behind one port, with node:cluster. The
 * primary runs no server of its own: it picks the port, forks the workers
 * (each runs the same entry and, seeing WORKER_PORT_VAR, serves on that port,
 * which cluster shares), restarts one that dies, and drains them all on
 * SIGINT/SIGTERM or the run's `signal`.
 */
import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { Logger } from "../logger.js";
import { StartError } from "../server/start-error.js";
import { type Bus, MemoryBus } from "../state/bus.js";
import { MemorySessionStore, type SessionStore } from "../state/session.js";

/**
 * Set by the primary in each worker's environment: the port to serve on
 * (the primary's pick when the options say 0, so every worker and every
 * replacement shares one port).
 */
export const WORKER_PORT_VAR = "FASTMCP_WORKER_PORT";

/** The IPC messages between primary and worker, tagged so a user's own messages pass by. */
export const WORKER_LISTENING = "fastmcp-ts:listening";
export const WORKER_STOP = "fastmcp-ts:stop";

/** This process is a worker the primary of `run({ workers })` forked; its port, or undefined. */
export function workerPort(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const value = process.env[WORKER_PORT_VAR];
  return value === undefined ? undefined : Number(value);
}

/** Tells the primary a worker listens (it announces the server once all do). */
export function reportListening(url: string, port: number): void {
  process.send?.({ type: WORKER_LISTENING, url, port });
}

/** Stops the worker's server when the primary says so. */
export function onStopMessage(stop: () => void): () => void {
  const listener = (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === WORKER_STOP) stop();
  };
  process.on("message", listener);
  return () => process.off("message", listener);
}

/**
 * After a worker's drain: the IPC channel to the primary would keep the
 * process alive, so it closes, and the worker exits as a lone server would
 * (once nothing else of the application's holds it).
 */
export function leaveCluster(): void {
  if (cluster.worker?.isConnected()) cluster.worker.disconnect();
}

export interface PrimaryOptions {
  readonly workers: number;
  readonly host: string;
  readonly port: number;
  readonly shutdownTimeoutMs: number;
  readonly owner: string;
  readonly logger: Logger;
  readonly onListening?: (info: { url: string; port: number }) => void;
  readonly signal?: AbortSignal;
  /** Why the port could not be had, in words (run-http's). */
  readonly listenFailure: (error: unknown, host: string, port: number) => string;
}

/**
 * Stateful serving over several processes needs sessions and the bus shared:
 * with a process's memory, a request that lands on another worker finds no
 * session (the failure Python FastMCP behind `gunicorn --workers` has). So it
 * does not start, and says the two ways out.
 */
export function refuseUnsharedState(
  owner: string,
  workers: number,
  state: { stateless: boolean; sessionStore: SessionStore | undefined; bus: Bus | undefined },
): void {
  if (state.stateless) return;
  const local = [
    state.sessionStore === undefined || state.sessionStore instanceof MemorySessionStore
      ? "sessionStore"
      : undefined,
    state.bus === undefined || state.bus instanceof MemoryBus ? "bus" : undefined,
  ].filter((name) => name !== undefined);
  if (local.length === 0) return;
  throw new StartError(
    `${owner}.run(): workers: ${workers} serves sessions from ${workers} processes, but the ${local.join(" and ")} ${local.length > 1 ? "are" : "is"} in one process's memory, so a request landing on another worker would find no session. ` +
      `Share the state in Redis: new FastMCP(name, { ...redisState({ url }) }) with redisState from "fastmcp-ts/redis"; ` +
      `or serve statelessly: statelessHttp: true (fastmcp-ts run --stateless, FASTMCP_STATELESS_HTTP=true)`,
  );
}

/** A worker that lived this long had started well: its death restarts the backoff from the start. */
const HEALTHY_AFTER_MS = 10_000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 10_000;

/**
 * The primary: forks `workers` processes and keeps that many serving until
 * stopped. Throws StartError when a worker exits before it first listens
 * (a bad port, a lifespan that failed: its own log line says why), since a
 * replacement would fail the same way.
 */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { workers: count, host, logger, owner } = options;
  let port = options.port;
  try {
    if (port === 0) port = await freePort(host);
  } catch (error) {
    throw new StartError(`${owner} could not listen: ${options.listenFailure(error, host, port)}`);
  }
  // Each worker would otherwise sign 2026-07-28 request state with a key of its own,
  // which the others refuse; one random key for the cluster (a configured one wins).
  const secret = process.env.FASTMCP_REQUEST_STATE_SECRET || randomBytes(32).toString("base64url");
  const slots = new Map<Worker, { slot: number; startedAt: number; listened: boolean }>();
  const failures: number[] = new Array(count).fill(0);
  let stopping = false;
  let announced = false;
  let failed: StartError | undefined;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      stopping = true;
      resolve();
    };
  });

  const fork = (slot: number) => {
    const worker = cluster.fork({
      [WORKER_PORT_VAR]: String(port),
      FASTMCP_REQUEST_STATE_SECRET: secret,
    });
    slots.set(worker, { slot, startedAt: Date.now(), listened: false });
    worker.on("message", (message: { type?: unknown; url?: unknown; port?: unknown }) => {
      if (message?.type !== WORKER_LISTENING) return;
      const entry = slots.get(worker);
      if (entry === undefined) return;
      entry.listened = true;
      if (announced || [...slots.values()].some((other) => !other.listened)) return;
      if (slots.size < count) return;
      announced = true;
      const url = String(message.url);
      const pids = [...slots.keys()].map((each) => each.process.pid).join(", ");
      logger.info(
        `Serving MCP over Streamable HTTP at ${url} with ${count} worker processes (pids ${pids})`,
      );
      options.onListening?.({ url, port: Number(message.port) });
    });
    worker.on("exit", (code, signal) => {
      const entry = slots.get(worker);
      slots.delete(worker);
      if (stopping || entry === undefined) return;
      const how = signal === null ? `with code ${code}` : `on ${signal}`;
      if (!entry.listened && !announced) {
        failed = new StartError(
          `${owner} could not start: worker ${worker.process.pid} exited ${how} before it listened (its log above says why)`,
        );
        stop();
        return;
      }
      const lived = Date.now() - entry.startedAt;
      const failuresSoFar = lived >= HEALTHY_AFTER_MS ? 0 : (failures[entry.slot] ?? 0);
      failures[entry.slot] = failuresSoFar + 1;
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** failuresSoFar);
      logger.warn(`Worker ${worker.process.pid} exited ${how}; starting another in ${delay} ms`);
      const timer = setTimeout(() => {
        if (!stopping) fork(entry.slot);
      }, delay);
      // A pending restart must not keep a stopped primary alive.
      timer.unref();
    });
  };

  const onSignal = () => stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", onSignal, { once: true });
  for (let slot = 0; slot < count; slot++) fork(slot);
  await stopped;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  options.signal?.removeEventListener("abort", onSignal);
  if (failed === undefined)
    logger.info(`Stopping ${slots.size} worker processes: each finishes its running requests`);
  // A signal from a terminal reaches the workers too (one process group); SIGINT they
  // ignore, so this message is what starts each drain, once.
  await drain([...slots.keys()], options.shutdownTimeoutMs + 5_000, logger);
  if (failed !== undefined) throw failed;
}

/** Asks every worker to drain, and kills those still running past the deadline. */
async function drain(workers: readonly Worker[], deadlineMs: number, logger: Logger) {
  const exits = workers.map(
    (worker) =>
      new Promise<void>((resolve) => {
        if (worker.isDead()) return resolve();
        worker.once("exit", () => resolve());
        if (worker.isConnected()) worker.send({ type: WORKER_STOP }, () => {});
        else worker.process.kill("SIGTERM");
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), deadlineMs);
  });
  if ((await Promise.race([Promise.all(exits), late])) === "late") {
    for (const worker of workers)
      if (!worker.isDead()) {
        logger.warn(`Worker ${worker.process.pid} did not stop in time; killing it`);
        worker.process.kill("SIGKILL");
      }
    await Promise.all(exits);
  }
  clearTimeout(timer);
}

/**
 * A free port on `host`, for `port: 0`: the workers must all listen on the
 * same one, and a replacement on the one the others serve, so the primary
 * picks it rather than each worker's kernel.
 */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
