/** Protocol versions, oldest first, and the era each belongs to. */

export const LEGACY_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] as const;
export const MODERN_VERSIONS = ["2026-07-28"] as const;

export type LegacyVersion = (typeof LEGACY_VERSIONS)[number];
export type ModernVersion = (typeof MODERN_VERSIONS)[number];
export type ProtocolVersion = LegacyVersion | ModernVersion;

/** Legacy: `initialize` and sessions. Modern: stateless, every request carries its own `_meta`. */
export type Era = "legacy" | "modern";

export const LATEST_LEGACY_VERSION: LegacyVersion = "2025-11-25";
export const LATEST_MODERN_VERSION: ModernVersion = "2026-07-28";

/** Every version this server speaks, newest first (as `server/discover` lists them). */
export const SUPPORTED_VERSIONS: readonly ProtocolVersion[] = [
  ...MODERN_VERSIONS,
  ...[...LEGACY_VERSIONS].reverse(),
];

const legacySet: ReadonlySet<string> = new Set(LEGACY_VERSIONS);
const modernSet: ReadonlySet<string> = new Set(MODERN_VERSIONS);

export function isLegacyVersion(version: unknown): version is LegacyVersion {
  return typeof version === "string" && legacySet.has(version);
}

export function isModernVersion(version: unknown): version is ModernVersion {
  return typeof version === "string" && modernSet.has(version);
}

/** `initialize` negotiation: the client's version when we speak it, else our latest legacy one. */
export function negotiateLegacyVersion(requested: unknown): LegacyVersion {
  return isLegacyVersion(requested) ? requested : LATEST_LEGACY_VERSION;
}

/** Version-gated features, so each message carries only what its version defines. */
export function versionAtLeast(version: ProtocolVersion, min: ProtocolVersion): boolean {
  return version >= min; // ISO dates compare correctly as strings
}
