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

/**
 * A counter as id text (channels, streams, outgoing requests): base 36, never
 * decimal. V8 turns numbers into decimal text through its number-string
 * cache, which holds the last several thousand strings it made. An id made
 * per request in decimal therefore outlives its request: every young
 * collection copies the cache's strings again, and they end as garbage in the
 * old generation. Under load that alone grew the young generation to its
 * maximum and the old one by megabytes (docs/architecture.md, "Hot paths").
 * Base-36 text is made fresh and dies with its request.
 */
export function serial(count: number): string {
  return count.toString(36);
}
