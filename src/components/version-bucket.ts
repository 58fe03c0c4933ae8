import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";

/**
 * The versions whose component definitions differ (fields arrived in
 * 2025-03-26, 2025-06-18 and 2025-11-25; 2026-07-28 adds none), so a
 * definition is built once per bucket and reused for every request.
 */
export function versionBucket(version: ProtocolVersion): string {
  if (versionAtLeast(version, "2025-11-25")) return "2025-11-25";
  if (versionAtLeast(version, "2025-06-18")) return "2025-06-18";
  if (versionAtLeast(version, "2025-03-26")) return "2025-03-26";
  return "2024-11-05";
}

/** Builds a value once per version bucket. */
export class PerVersion<T> {
  readonly #built = new Map<string, T>();
  constructor(private readonly build: (version: ProtocolVersion) => T) {}

  get(version: ProtocolVersion): T {
    const key = versionBucket(version);
    let value = this.#built.get(key);
    if (value === undefined) {
      value = this.build(version);
      this.#built.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.#built.clear();
  }
}
