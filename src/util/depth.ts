/**
 * Whether `value` nests objects and arrays more than `limit` levels deep (the
 * value itself being level 1). Recurses at most `limit` frames, so a hostile
 * value cannot overflow the stack here, as it would in validators and
 * `JSON.stringify`.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestedDeeperThan(value[i], limit - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (nestedDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  }
  return false;
}
