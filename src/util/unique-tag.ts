/**
 * A short random tag that tells apart ids made by different processes (or
 * server instances) sharing a bus: channels, event streams, outgoing requests.
 * It only has to be unique, never secret, so it comes from Math.random: the
 * first use of WebCrypto (`crypto.randomUUID`) loads Node's webcrypto modules,
 * 3 to 5 ms that every cold start paid before answering anything. What must be
 * unguessable (session ids, requestState keys) still uses WebCrypto.
 */
export function uniqueTag(): string {
  return Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, "0");
}

/** This process's tag. */
export const PROCESS_TAG = uniqueTag();
