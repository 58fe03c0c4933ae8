/** Connects the official SDK clients to a fastmcp-ts server, recording the wire. */
import { join } from "node:path";
import { Client as V2Client, InMemoryTransport as V2InMemory } from "@modelcontextprotocol/client";
import { StdioClientTransport as V2Stdio } from "@modelcontextprotocol/client/stdio";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as V1Stdio } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport as V1InMemory } from "@modelcontextprotocol/sdk/inMemory.js";
import type { FastMCP } from "../../src/index.ts";
import { recording, WireLog } from "./wire.ts";

export const ROOT = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");

/** The command that runs a TypeScript server file over stdio. */
export function stdioCommand(file: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", join(ROOT, file)] };
}

export interface Connected<C> {
  client: C;
  wire: WireLog;
  close(): Promise<void>;
}

type AnyTransport = Parameters<V1Client["connect"]>[0];
type AnyV2Transport = Parameters<V2Client["connect"]>[0];

export async function v1InMemory<L>(server: FastMCP<L>): Promise<Connected<V1Client>> {
  const [clientSide, serverSide] = V1InMemory.createLinkedPair();
  await server.connect(serverSide);
  const client = new V1Client({ name: "v1-test", version: "1.0.0" });
  const wire = new WireLog(() => "2025-11-25");
  await client.connect(recording(clientSide, wire) as AnyTransport);
  return { client, wire, close: () => client.close() };
}

export async function v1Stdio(file: string): Promise<Connected<V1Client>> {
  const transport = new V1Stdio({ ...stdioCommand(file), stderr: "pipe" });
  const client = new V1Client({ name: "v1-test", version: "1.0.0" });
  const wire = new WireLog(() => "2025-11-25");
  await client.connect(recording(transport, wire) as AnyTransport);
  return { client, wire, close: () => client.close() };
}

export type V2Mode = "auto" | "legacy" | { pin: "2026-07-28" };

export async function v2InMemory<L>(
  server: FastMCP<L>,
  mode: V2Mode = "auto",
): Promise<Connected<V2Client>> {
  const [clientSide, serverSide] = V2InMemory.createLinkedPair();
  await server.connect(serverSide);
  const client = new V2Client(
    { name: "v2-test", version: "1.0.0" },
    { versionNegotiation: { mode } },
  );
  const wire = new WireLog(() => (mode === "legacy" ? "2025-11-25" : "2026-07-28"));
  await client.connect(recording(clientSide, wire) as unknown as AnyV2Transport);
  return { client, wire, close: () => client.close() };
}

export async function v2Stdio(file: string, mode: V2Mode = "auto"): Promise<Connected<V2Client>> {
  const transport = new V2Stdio({ ...stdioCommand(file), stderr: "pipe" });
  const client = new V2Client(
    { name: "v2-test", version: "1.0.0" },
    { versionNegotiation: { mode } },
  );
  const wire = new WireLog(() => (mode === "legacy" ? "2025-11-25" : "2026-07-28"));
  await client.connect(
    recording(
      transport as unknown as Parameters<typeof recording>[0],
      wire,
    ) as unknown as AnyV2Transport,
  );
  return { client, wire, close: () => client.close() };
}
