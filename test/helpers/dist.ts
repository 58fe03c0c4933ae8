import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Fails, naming the fix, when a built file the test reads is missing: these
 * tests check the package as published, and `npm test` builds it first, so
 * a missing build is a setup error to see, not a test to skip.
 */
export function requireBuilt(relative: string): string {
  const path = join(ROOT, relative);
  if (!existsSync(path)) throw new Error(`${relative} is missing: run npm run build first`);
  return path;
}
