import type { Envelope } from "../protocol/envelope.js";
import { LiveList } from "../util/live-list.js";
import { PROCESS_TAG, serial } from "../util/unique-tag.js";
import type { TransportHost } from "./host.js";

/**
 * A message channel in the shape the official SDKs use for transports, so
 * their transports (and ours) plug into `mcp.connect()`.
 */
export interface MessageTransport {
  start(): Promise<void>;
  send(message: object): Promise<void>;
  close(): Promise<void>;
  // Method syntax on purpose: SDK transports type `message` more narrowly.
  onmessage?(message: unknown): void;
  onclose?(): void;
  onerror?(error: Error): void;
  /** The verified token the channel was opened with (the HTTP+SSE transport behind auth): `ctx.auth`. */
  readonly auth?: unknown;
  /**
   * Set by the server on transports whose input can end before their output
   * (stdio: the client closed stdin, which is how the spec's stdio shutdown
   * starts). The server answers what it already received, then calls
   * `close()`. A transport that finds it unset closes at once.
   */
  oninputend?(): void;
}

/**
 * How long a response waits after the last notification on its channel.
 * Measured with the v1 SDK client over stdio, 300 calls with 5 progress
 * updates each: the official SDK server lost updates in 219 calls; with no
 * gap, 12; 1 ms, 14; 3 ms, 1. On a loaded machine (six test processes on two
 * cores) 5 ms still lost a call's updates now and then; 15 ms lost none.
 * Counted from the last notification, so only responses that follow
 * notifications closely pay it.
 */
const RESPONSE_GAP_MS = 15;

/** Numbers this process's connections, so each has its own channel id. */
let connectionCounter = 0;
/**
 * On close, how long requests the server has just aborted get to send their
 * last word (a `subscriptions/listen` stream's graceful-close result) before
 * the channel shuts. Handlers that honour their signal finish at once.
 */
const CLOSE_GRACE_MS = 1000;
/**
 * When the client ends its input (stdin EOF), how long the requests it already
 * sent get to answer before the rest are aborted: as long as an HTTP server's
 * graceful shutdown. Clients that stop a server this way send SIGTERM if it
 * outstays them, and SIGTERM closes at once.
 */
const INPUT_END_GRACE_MS = 10_000;

/**
 * Serves one long-lived channel (stdio, in-memory): every message goes to the
 * engine concurrently, so a cancellation can overtake the request it cancels.
 * A legacy session created by `initialize` is remembered by id only: its state
 * lives in the session store. Returns a function that stops serving.
 */
export async function serveTransport(
  host: TransportHost,
  transport: MessageTransport,
): Promise<() => Promise<void>> {
  let sessionId: string | undefined;
  let closed = false;
  const send = (message: object) =>
    closed
      ? Promise.resolve()
      : transport.send(message).catch((error: unknown) => {
          host.logger.error("Could not send a message", error);
        });
  // Many clients (the official v1 SDK among them) handle notifications a tick
  // later than responses: a response read in the same chunk as the progress
  // notifications before it would overtake them. So a response that follows
  // notifications waits a moment and is read apart.
  let lastNotifiedAt = Number.NEGATIVE_INFINITY;
  const notify = (message: object) => {
    lastNotifiedAt = performance.now();
    return send(message);
  };
  const respond = async (message: object) => {
    const wait = lastNotifiedAt + RESPONSE_GAP_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return send(message);
  };
  // What reaches this connection's legacy session alone (resource updates) arrives on its bus topic.
  let stopSessionTopic: (() => Promise<void>) | undefined;
  const followSession = async (id: string) => {
    const previous = stopSessionTopic;
    stopSessionTopic = undefined;
    await previous?.();
    const stopTopic = await host.bus.subscribe(host.sessionTopic(id), (message) => {
      void send(message as object);
    });
    if (closed || sessionId !== id) await stopTopic();
    else stopSessionTopic = stopTopic;
  };
  const channelId = `stdio-${PROCESS_TAG}-${serial(++connectionCounter)}`;
  // Aborts the handlers still running (and their asks to the client) when the client goes away.
  const connection = new AbortController();
  // `subscriptions/listen` streams run until aborted, so they end as soon as the
  // client ends its input (with their graceful-close result), not when the
  // grace for the other requests runs out.
  const listens = new AbortController();
  connection.signal.addEventListener("abort", () => listens.abort(connection.signal.reason), {
    once: true,
  });
  const auth = transport.auth;
  const envelope = (message: unknown): Envelope => ({
    outbound: { send: notify },
    channelId,
    auth,
    signal: isListen(message) ? listens.signal : connection.signal,
    sessionId,
    bindSession: (id) => {
      const previous = sessionId;
      sessionId = id;
      if (previous !== undefined && previous !== id)
        host
          .endSession(previous)
          .catch((error: unknown) => host.logger.warn("Could not end the previous session", error));
      return followSession(id);
    },
  });

  const unsubscribe = await host.bus.subscribe(host.broadcastTopic, (message) => {
    if (sessionId !== undefined) void send(message as object);
  });

  const stop = async () => {
    if (closed) return;
    closed = true;
    connection.abort(new Error("The client disconnected"));
    await unsubscribe();
    await stopSessionTopic?.();
    if (sessionId !== undefined) await host.endSession(sessionId);
  };

  // Messages run concurrently, except that nothing overtakes an `initialize`:
  // what follows it must see the session it creates.
  let gate: Promise<unknown> | undefined;
  // Every message until it is answered, those waiting behind an `initialize` too.
  const running = new LiveList<Promise<unknown>>();
  const handle = (message: unknown) =>
    host.handleMessage(message, envelope(message)).then(
      (response) => (response ? respond(response) : undefined),
      (error: unknown) => host.logger.error("Failed to handle a message", error),
    );
  transport.onmessage = (message) => {
    const run = gate ? gate.then(() => handle(message)) : handle(message);
    const entry = running.add(run);
    void run.finally(() => entry.remove());
    if (isInitialize(message)) {
      gate = run;
      void run.finally(() => {
        if (gate === run) gate = undefined;
      });
    }
  };
  const previousOnClose = transport.onclose;
  transport.onclose = () => {
    void stop();
    previousOnClose?.();
  };
  transport.oninputend = () => {
    listens.abort(new Error("The client ended its input"));
    // A stop meanwhile (SIGTERM, the transport closing) ends the wait too.
    void settled(running, INPUT_END_GRACE_MS, connection.signal).then(() => transport.close());
  };
  transport.onerror = (error) => host.logger.error("Transport error", error);
  try {
    await transport.start();
  } catch (error) {
    // Not serving after all (stdin already served, say): let go of the bus.
    await stop();
    throw error;
  }
  return async () => {
    await settled(running, CLOSE_GRACE_MS);
    await stop();
    await transport.close();
  };
}

/**
 * Waits for `pending` to settle, but no longer than `ms` nor past `until`
 * aborting (so a stop clears the timer, which would keep the process alive).
 */
async function settled(
  pending: LiveList<Promise<unknown>>,
  ms: number,
  until?: AbortSignal,
): Promise<void> {
  if (pending.size === 0 || until?.aborted) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop: (() => void) | undefined;
  await Promise.race([
    Promise.allSettled([...pending]),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
      stop = () => resolve(undefined);
      until?.addEventListener("abort", stop, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (stop) until?.removeEventListener("abort", stop);
}

/** A message's `method` and `id`, read without trusting its shape. */
function fieldsOf(message: unknown): { method?: unknown; id?: unknown } {
  return typeof message === "object" && message !== null ? message : {};
}

function isListen(message: unknown): boolean {
  return fieldsOf(message).method === "subscriptions/listen";
}

function isInitialize(message: unknown): boolean {
  const { method, id } = fieldsOf(message);
  return method === "initialize" && id !== undefined;
}
