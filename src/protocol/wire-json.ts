/**
 * JSON text for outgoing messages. Results that are built once and then
 * shared by every request (cached list pages) are serialized once too: a
 * response carrying one is spliced from its id and the stored text, so a
 * `tools/list` of fifty tools costs a string concatenation, not a walk of
 * every schema.
 */

/** Shared results, and their JSON once first needed. */
const stable = new WeakMap<object, string | undefined>();

/**
 * Marks a result as shared and never changed again, so its JSON may be kept.
 * Whoever calls this promises not to mutate the object (or anything in it)
 * afterwards; handlers that want to change a result copy it first.
 */
export function shareResult<T extends object>(result: T): T {
  if (!stable.has(result)) stable.set(result, undefined);
  return result;
}

export function isSharedResult(result: object): boolean {
  return stable.has(result);
}

/** `JSON.stringify(message)`, reusing the stored text of a shared result. */
export function toJson(message: object): string {
  const result = (message as { result?: unknown }).result;
  if (typeof result !== "object" || result === null || !stable.has(result))
    return JSON.stringify(message);
  const { jsonrpc, id, ...rest } = message as { jsonrpc: unknown; id: unknown; result: object };
  // Only the plain response shape is spliced; anything else goes the long way.
  if (jsonrpc !== "2.0" || Object.keys(rest).length !== 1) return JSON.stringify(message);
  let text = stable.get(result);
  if (text === undefined) {
    text = JSON.stringify(result);
    stable.set(result, text);
  }
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${text}}`;
}
