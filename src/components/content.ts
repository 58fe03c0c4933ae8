import type {
  Annotations,
  AudioContent,
  ContentBlock,
  EmbeddedResource,
  ImageContent,
  Meta,
} from "../protocol/types.js";
import { toBase64 } from "../util/base64.js";
import { extensionOf, mimeTypeOf } from "./mime.js";

type Bytes = Uint8Array | ArrayBuffer;

interface MediaOptions {
  /** Raw bytes, or a base64 string. */
  data: Bytes | string;
  /** Full MIME type (`image/png`), or give `format` (`png`, `jpg`, `mp3`, `svg`) instead. */
  mimeType?: string;
  format?: string;
  annotations?: Annotations;
  meta?: Meta;
}

function encode(data: Bytes | string): string {
  if (typeof data === "string") return data;
  return toBase64(data instanceof Uint8Array ? data : new Uint8Array(data));
}

function mimeFrom(kind: "image" | "audio", options: MediaOptions, fallback: string): string {
  if (options.mimeType) return options.mimeType;
  if (!options.format) return fallback;
  const known = mimeTypeOf(options.format);
  return known?.startsWith(`${kind}/`) ? known : `${kind}/${options.format.toLowerCase()}`;
}

async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  return readFile(path);
}

/** An image a tool returns; becomes an `image` content block (Python FastMCP's `Image`). */
export class Image {
  readonly data: string;
  readonly mimeType: string;
  constructor(private readonly options: MediaOptions) {
    this.data = encode(options.data);
    this.mimeType = mimeFrom("image", options, "image/png");
  }

  static async fromPath(path: string, options: Omit<MediaOptions, "data"> = {}): Promise<Image> {
    return new Image({ format: extensionOf(path), ...options, data: await readBytes(path) });
  }

  toContent(): ImageContent {
    const block: ImageContent = { type: "image", data: this.data, mimeType: this.mimeType };
    if (this.options.annotations) block.annotations = this.options.annotations;
    if (this.options.meta) block._meta = this.options.meta;
    return block;
  }
}

/** Audio a tool returns; becomes an `audio` content block (Python FastMCP's `Audio`). */
export class Audio {
  readonly data: string;
  readonly mimeType: string;
  constructor(private readonly options: MediaOptions) {
    this.data = encode(options.data);
    this.mimeType = mimeFrom("audio", options, "audio/wav");
  }

  static async fromPath(path: string, options: Omit<MediaOptions, "data"> = {}): Promise<Audio> {
    return new Audio({ format: extensionOf(path), ...options, data: await readBytes(path) });
  }

  toContent(): AudioContent {
    const block: AudioContent = { type: "audio", data: this.data, mimeType: this.mimeType };
    if (this.options.annotations) block.annotations = this.options.annotations;
    if (this.options.meta) block._meta = this.options.meta;
    return block;
  }
}

interface FileOptions {
  /** Text is sent as a text resource, bytes as a base64 blob. */
  data: Bytes | string;
  /** The file name; the resource URI becomes `file:///<name>`. */
  name: string;
  /** Default: from the name's extension, else `text/plain` for text, `application/octet-stream` for bytes. */
  mimeType?: string;
  annotations?: Annotations;
  meta?: Meta;
}

/** A file a tool returns; becomes an embedded `resource` content block (Python FastMCP's `File`). */
export class File {
  readonly mimeType: string;
  constructor(private readonly options: FileOptions) {
    this.mimeType =
      options.mimeType ??
      mimeTypeOf(extensionOf(options.name)) ??
      (typeof options.data === "string" ? "text/plain" : "application/octet-stream");
  }

  static async fromPath(
    path: string,
    options: Partial<Omit<FileOptions, "data">> = {},
  ): Promise<File> {
    const name = options.name ?? path.split(/[\\/]/).pop() ?? "file";
    return new File({ ...options, name, data: await readBytes(path) });
  }

  toContent(): EmbeddedResource {
    const { data, name, annotations, meta } = this.options;
    const uri = `file:///${encodeURIComponent(name)}`;
    const mimeType = this.mimeType;
    const resource =
      typeof data === "string"
        ? { uri, mimeType, text: data }
        : { uri, mimeType, blob: encode(data) };
    const block: EmbeddedResource = { type: "resource", resource };
    if (annotations) block.annotations = annotations;
    if (meta) block._meta = meta;
    return block;
  }
}

/** Anything that turns itself into one content block. */
export type ContentHelper = Image | Audio | File;

export function isContentHelper(value: unknown): value is ContentHelper {
  return value instanceof Image || value instanceof Audio || value instanceof File;
}

const CONTENT_TYPES = new Set(["text", "image", "audio", "resource", "resource_link"]);

/** A raw content block as the spec defines it (checked by its required fields). */
export function isContentBlock(value: unknown): value is ContentBlock {
  if (typeof value !== "object" || value === null) return false;
  const block = value as Record<string, unknown>;
  if (typeof block.type !== "string" || !CONTENT_TYPES.has(block.type)) return false;
  switch (block.type) {
    case "text":
      return typeof block.text === "string";
    case "image":
    case "audio":
      return typeof block.data === "string" && typeof block.mimeType === "string";
    case "resource":
      return typeof block.resource === "object" && block.resource !== null;
    default:
      return typeof block.uri === "string" && typeof block.name === "string";
  }
}

export type ContentInput = ContentBlock | ContentHelper;

export function toContentBlock(item: ContentInput): ContentBlock {
  return isContentHelper(item) ? item.toContent() : item;
}
