/**
 * MIME types for the file extensions tools commonly return, as IANA registers
 * them (where the registered name differs from what browsers send, the
 * registered one: `audio/mpeg` for mp3, `image/svg+xml`, `text/javascript`).
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  // images
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  avif: "image/avif",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  ico: "image/vnd.microsoft.icon",
  heic: "image/heic",
  // audio
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  flac: "audio/flac",
  aac: "audio/aac",
  m4a: "audio/mp4",
  weba: "audio/webm",
  mid: "audio/midi",
  midi: "audio/midi",
  // video
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  // text
  txt: "text/plain",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  md: "text/markdown",
  markdown: "text/markdown",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  // application
  json: "application/json",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  wasm: "application/wasm",
  rtf: "application/rtf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

/** The MIME type of an extension or format name (`"mp3"`, `"JPG"`), if known. */
export function mimeTypeOf(extension: string | undefined): string | undefined {
  if (extension === undefined) return undefined;
  // The extension may come from a client's path: `x.constructor` must find nothing.
  const key = extension.toLowerCase();
  return Object.hasOwn(BY_EXTENSION, key) ? BY_EXTENSION[key] : undefined;
}

/** A path's extension, lower-cased, from its last segment only (`"a.d/b"` has none). */
export function extensionOf(path: string): string | undefined {
  const name = path.split(/[\\/]/).pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}
