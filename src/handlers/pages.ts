import { paginate } from "../components/registry.js";
import type { Result } from "../protocol/middleware.js";

/** One page of a list result under `key`, with `nextCursor` when more follow. */
export function page<T>(
  key: string,
  items: readonly T[],
  cursor: unknown,
  pageSize: number | undefined,
): Result {
  const { items: pageItems, nextCursor } = paginate(items, cursor, pageSize);
  const result: Result = { [key]: pageItems };
  if (nextCursor !== undefined) result.nextCursor = nextCursor;
  return result;
}
