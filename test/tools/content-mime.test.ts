/** Image, Audio and File name their content with IANA MIME types, from `format` or the file's extension. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Audio, FastMCP, File, Image } from "../../src/index.ts";
import { v1InMemory } from "../helpers/clients.ts";

const bytes = new Uint8Array([1, 2, 3]);

test("Image and Audio formats map to IANA types", () => {
  const image = (format: string) => new Image({ data: bytes, format }).mimeType;
  const audio = (format: string) => new Audio({ data: bytes, format }).mimeType;
  assert.deepEqual(["png", "jpg", "jpeg", "JPG", "gif", "webp", "svg", "avif", "ico"].map(image), [
    "image/png",
    "image/jpeg",
    "image/jpeg",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "image/avif",
    "image/vnd.microsoft.icon",
  ]);
  assert.deepEqual(["mp3", "wav", "ogg", "flac", "m4a", "aac"].map(audio), [
    "audio/mpeg",
    "audio/wav",
    "audio/ogg",
    "audio/flac",
    "audio/mp4",
    "audio/aac",
  ]);
  assert.equal(image("x-custom"), "image/x-custom", "unknown formats keep the old rule");
  assert.equal(new Image({ data: bytes }).mimeType, "image/png");
  assert.equal(new Audio({ data: bytes }).mimeType, "audio/wav");
  assert.equal(
    new Image({ data: bytes, format: "png", mimeType: "image/apng" }).mimeType,
    "image/apng",
  );
});

test("File takes its MIME type from its name unless told", () => {
  const file = (name: string, data: Uint8Array | string = bytes) =>
    new File({ name, data }).mimeType;
  assert.deepEqual(
    [
      "a.pdf",
      "a.json",
      "a.txt",
      "a.csv",
      "a.md",
      "a.html",
      "a.xml",
      "a.yaml",
      "a.zip",
      "A.PNG",
    ].map((name) => file(name)),
    [
      "application/pdf",
      "application/json",
      "text/plain",
      "text/csv",
      "text/markdown",
      "text/html",
      "application/xml",
      "application/yaml",
      "application/zip",
      "image/png",
    ],
  );
  assert.equal(file("notes", "text"), "text/plain");
  assert.equal(file("blob.unknownext"), "application/octet-stream");
  assert.equal(file("dir.v2"), "application/octet-stream");
  assert.equal(
    new File({ name: "a.md", data: "#", mimeType: "text/x-custom" }).mimeType,
    "text/x-custom",
  );
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "fastmcp-mime-"));
  for (const name of ["song.mp3", "logo.svg", "report.pdf", "notes.md", "photo.jpeg"])
    await writeFile(join(dir, name), bytes);
  await writeFile(join(dir, "noext"), bytes);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("fromPath infers the type from the extension; a v1 client receives it", async () => {
  const mcp = new FastMCP("mime");
  mcp.tool("media", async () => [
    await Audio.fromPath(join(dir, "song.mp3")),
    await Image.fromPath(join(dir, "logo.svg")),
    await Image.fromPath(join(dir, "photo.jpeg")),
    await File.fromPath(join(dir, "report.pdf")),
    await File.fromPath(join(dir, "notes.md")),
    await File.fromPath(join(dir, "noext")),
  ]);
  const { client, wire, close } = await v1InMemory(mcp);
  try {
    const result = await client.callTool({ name: "media", arguments: {} });
    const types = (result.content as Record<string, unknown>[]).map(
      (block) =>
        (block.mimeType as string | undefined) ?? (block.resource as { mimeType: string }).mimeType,
    );
    assert.deepEqual(types, [
      "audio/mpeg",
      "image/svg+xml",
      "image/jpeg",
      "application/pdf",
      "text/markdown",
      "application/octet-stream",
    ]);
    assert.deepEqual(
      (result.content as { resource?: { uri: string } }[])[3]?.resource?.uri,
      "file:///report.pdf",
    );
    assert.deepEqual(wire.problems(), []);
  } finally {
    await close();
  }
});
