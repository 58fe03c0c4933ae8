import type { Meta, ResourceContents } from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { toBase64 } from "../util/base64.js";
import { isPlainObject } from "./tool-result.js";

type Bytes = Uint8Array | ArrayBuffer;

/** One item of an explicit resource result: text, or bytes (or base64) as a blob. */
export type ResourceContentInput = (
  | { text: string; blob?: never }
  | { blob: Bytes | string; text?: never }
) & {
  /** Default: the URI that was read. */
  uri?: string;
  /** Default: the resource's `mimeType`. */
  mimeType?: string;
  meta?: Meta;
};

/**
 * Full control over what `resources/read` returns: several contents (a
 * directory's files, a text and its rendering), each text or binary, with
 * their own URIs and MIME types.
 */
export class ResourceResult {
  readonly contents: readonly ResourceContentInput[];
  readonly meta: Meta | undefined;
  constructor(contents: readonly ResourceContentInput[], options: { meta?: Meta } = {}) {
    if (!Array.isArray(contents)) throw new TypeError("ResourceResult needs an array of contents");
    this.contents = contents;
    this.meta = options.meta;
  }
}

export interface ConvertedRead {
  contents: ResourceContents[];
  meta: Meta | undefined;
}

/**
 * Turns what a resource handler returned into contents: strings are text,
 * bytes are a base64 blob, plain objects and arrays are JSON, a
 * `ResourceResult` or an array of wire-shaped contents passes through.
 * `undefined` (or `null`) means the resource does not exist.
 */
export function convertResourceReturn(
  value: unknown,
  uri: string,
  mimeType: string | undefined,
  what: string,
): ConvertedRead | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof ResourceResult) {
    return {
      contents: value.contents.map((item, index) => fromInput(item, uri, mimeType, what, index)),
      meta: value.meta,
    };
  }
  if (typeof value === "string")
    return single({ uri, mimeType: mimeType ?? "text/plain", text: value });
  const bytes = asBytes(value);
  if (bytes) {
    return single({ uri, mimeType: mimeType ?? "application/octet-stream", blob: toBase64(bytes) });
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isWireContents)) {
    return { contents: value.map((item) => ({ ...item })), meta: undefined };
  }
  if (typeof value === "bigint")
    return single({ uri, mimeType: mimeType ?? "text/plain", text: value.toString() });
  if (typeof value === "function" || typeof value === "symbol") {
    throw new TypeError(`${what} returned a ${typeof value}, which is not resource contents`);
  }
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${what} returned a value that has no JSON form`);
  if (
    !isPlainObject(value) &&
    !Array.isArray(value) &&
    typeof value === "object" &&
    json === "{}"
  ) {
    throw new TypeError(
      `${what} returned a ${value.constructor?.name ?? "object"} whose JSON form is empty; return a string, bytes, a plain object or a ResourceResult`,
    );
  }
  return single({ uri, mimeType: mimeType ?? "application/json", text: json });
}

function single(contents: ResourceContents): ConvertedRead {
  return { contents: [contents], meta: undefined };
}

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

function isWireContents(item: unknown): item is ResourceContents {
  if (!isPlainObject(item) || typeof item.uri !== "string") return false;
  const hasText = typeof item.text === "string";
  const hasBlob = typeof item.blob === "string";
  return hasText !== hasBlob;
}

function fromInput(
  item: ResourceContentInput,
  uri: string,
  mimeType: string | undefined,
  what: string,
  index: number,
): ResourceContents {
  if (!isPlainObject(item)) throw new TypeError(`${what}: contents[${index}] must be an object`);
  const itemUri = item.uri ?? uri;
  const type = item.mimeType ?? mimeType;
  let contents: ResourceContents;
  if (typeof item.text === "string") {
    contents = { uri: itemUri, text: item.text };
  } else if (typeof item.blob === "string") {
    contents = { uri: itemUri, blob: item.blob };
  } else {
    const bytes = asBytes(item.blob);
    if (!bytes)
      throw new TypeError(
        `${what}: contents[${index}] needs "text" (a string) or "blob" (bytes or base64)`,
      );
    contents = { uri: itemUri, blob: toBase64(bytes) };
  }
  if (type !== undefined) contents.mimeType = type;
  if (item.meta) contents._meta = item.meta;
  return contents;
}

/** `_meta` on contents arrived in 2025-06-18; older clients get the contents without it. */
export function contentsForVersion(
  contents: readonly ResourceContents[],
  version: ProtocolVersion,
): ResourceContents[] {
  if (versionAtLeast(version, "2025-06-18")) return contents as ResourceContents[];
  return contents.map((item) => {
    if (item._meta === undefined) return item;
    const { _meta: _dropped, ...rest } = item;
    return rest as ResourceContents;
  });
}
