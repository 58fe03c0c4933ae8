import type { IncomingMessage, ServerResponse } from "node:http";
import { TIMED_OUT, TOO_LARGE } from "./exchange.js";

/**
 * Reads a request body from the socket, keeping at most `maxBytes` and
 * waiting at most `timeoutMs` for all of it. The limit holds whoever owns
 * the server (ours from `run()`, or the application's around `nodeHandler()`),
 * so a client trickling a body, or stalling halfway, cannot hold a socket and
 * a buffer for ever.
 */
export function readNodeBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<string | typeof TOO_LARGE | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    // Listeners stay until the request object goes: removing them costs more than it saves.
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      return true;
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        settle();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!settle()) return;
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString("utf8")
          : Buffer.concat(chunks).toString("utf8"),
      );
    });
    req.on("error", (error: Error) => {
      if (settle()) reject(error);
    });
    if (req.complete) return;
    // Only a body still on its way gets a timer, armed once the socket reads
    // in hand are parsed (see `checkSoon`): most bodies come in the read that
    // brought the headers, and have ended by then.
    checkSoon(() => {
      if (settled || req.complete) return;
      timer = setTimeout(() => {
        if (settle()) resolve(TIMED_OUT);
      }, timeoutMs);
      timer.unref();
    });
  });
}

/** Checks waiting for the current socket reads to be parsed. */
const checks: (() => void)[] = [];

/**
 * Runs `check` once node:http has parsed the socket reads in hand. It parses
 * a read in native code and calls into JavaScript for the headers, then for
 * the body, and the tick queue (microtasks too) runs between those calls, so
 * only the next turn of the event loop sees the body that came with the
 * headers. One `setImmediate` serves every request of a turn.
 */
function checkSoon(check: () => void): void {
  if (checks.push(check) === 1) setImmediate(runChecks);
}

function runChecks(): void {
  try {
    for (const check of checks) check();
  } finally {
    // Emptied whatever happens: a list left full would never be run again.
    checks.length = 0;
  }
}

/** At least this much of a too-large body is read and dropped before the connection is cut. */
const MIN_DISCARD_BYTES = 1024 * 1024;

/**
 * Ends a response sent before its request's body had all arrived (a 413)
 * once the rest of that body has been read and dropped: up to four times
 * `maxBytes` (at least 1 MiB) and for up to `timeoutMs`; past either, the
 * connection is cut.
 *
 * Why not close at once: a response with `Connection: close` ends with the
 * socket closed, and a socket closed under a client still writing answers
 * the next bytes with a reset, which most clients (undici's fetch, node:http)
 * report as EPIPE instead of the 413 already sent to them. Nothing read here
 * is kept.
 */
export function endAfterBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  timeoutMs: number,
): void {
  const limit = Math.max(4 * maxBytes, MIN_DISCARD_BYTES);
  let dropped = 0;
  const cut = () => {
    clearTimeout(timer);
    res.destroy();
  };
  const timer = setTimeout(cut, timeoutMs);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) cut();
  });
  req.on("end", () => {
    clearTimeout(timer);
    res.end();
  });
  // The client went away (undici does, once it has the whole answer).
  req.on("close", () => clearTimeout(timer));
}
