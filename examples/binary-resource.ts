/**
 * A binary resource: the twin of the guide's
 * `@mcp.resource("image://photos/{photo_id}", mimeType="image/png")`.
 *
 * Returning bytes (`Uint8Array`, a Node `Buffer`, or an `ArrayBuffer`) sends
 * them base64-encoded as a `blob`, with the resource's `mimeType`.
 */
import { FastMCP } from "../src/index.ts";

export const mcp = new FastMCP("MyServer");

/** A 1x1 red PNG, so the example needs no files. */
const RED_PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const photos = new Map<string, Uint8Array>([["red-pixel", RED_PIXEL]]);

export function loadPhotoBytes(photoId: string): Uint8Array | undefined {
  return photos.get(photoId);
}

mcp.resource(
  "image://photos/{photo_id}",
  { description: "Get photo as PNG.", mimeType: "image/png" },
  ({ photo_id }) => loadPhotoBytes(photo_id),
);

if (import.meta.url === `file://${process.argv[1]}`) {
  await mcp.run();
}
