import { isRecord } from "../protocol/meta.js";
import type { Root } from "../protocol/types.js";
import { InvalidClientResponseError } from "./errors.js";

/** Reads the client's `ListRootsResult` into its roots. */
export function readRoots(response: Record<string, unknown>): Root[] {
  const roots = response.roots;
  if (
    !Array.isArray(roots) ||
    !roots.every(
      (root) =>
        isRecord(root) &&
        typeof root.uri === "string" &&
        (root.name === undefined || typeof root.name === "string"),
    )
  ) {
    throw new InvalidClientResponseError(
      "The client's roots/list result is not { roots: [{ uri, name? }, ...] }",
    );
  }
  return roots as Root[];
}
