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

/** What a test client declares and handles (elicitation, sampling, roots), set before it connects. */
export interface ClientSetup<C> {
  capabilities?: Record<string, unknown>;
  handlers?: (client: C) => void;
}

type AnyTransport = Parameters<V1Client["connect"]>[0];
type AnyV2Transport = Parameters<V2Client["connect"]>[0];

export function v1Client(setup: ClientSetup<V1Client>): V1Client {
  const client = new V1Client(
    { name: "v1-test", version: "1.0.0" },
    setup.capabilities ? { capabilities: setup.capabilities } : undefined,
  );
  setup.handlers?.(client);
  return client;
}

export function v2Client(mode: V2Mode, setup: ClientSetup<V2Client>): V2Client {
  const client = new V2Client(
    { name: "v2-test", version: "1.0.0" },
    {
      versionNegotiation: { mode },
      ...(setup.capabilities ? { capabilities: setup.capabilities } : {}),
    },
  );
  setup.handlers?.(client);
  return client;
}

export async function v1InMemory<L>(
  server: FastMCP<L>,
  setup: ClientSetup<V1Client> = {},
): Promise<Connected<V1Client>> {
  const [clientSide, serverSide] = V1InMemory.createLinkedPair();
  await server.connect(serverSide);
  const client = v1Client(setup);
  const wire = new WireLog(() => "2025-11-25");
  await client.connect(recording(clientSide, wire) as AnyTransport);
  return { client, wire, close: () => client.close() };
}

export async function v1Stdio(
  file: string,
  setup: ClientSetup<V1Client> = {},
): Promise<Connected<V1Client>> {
  const transport = new V1Stdio({ ...stdioCommand(file), stderr: "pipe" });
  const client = v1Client(setup);
  const wire = new WireLog(() => "2025-11-25");
  await client.connect(recording(transport, wire) as AnyTransport);
  return { client, wire, close: () => client.close() };
}

export type V2Mode = "auto" | "legacy" | { pin: "2026-07-28" };

export async function v2InMemory<L>(
  server: FastMCP<L>,
  mode: V2Mode = "auto",
  setup: ClientSetup<V2Client> = {},
): Promise<Connected<V2Client>> {
  const [clientSide, serverSide] = V2InMemory.createLinkedPair();
  await server.connect(serverSide);
  const client = v2Client(mode, setup);
  const wire = new WireLog(() => (mode === "legacy" ? "2025-11-25" : "2026-07-28"));
  await client.connect(recording(clientSide, wire) as unknown as AnyV2Transport);
  return { client, wire, close: () => client.close() };
}

export async function v2Stdio(
  file: string,
  mode: V2Mode = "auto",
  setup: ClientSetup<V2Client> = {},
): Promise<Connected<V2Client>> {
  const transport = new V2Stdio({ ...stdioCommand(file), stderr: "pipe" });
  const client = v2Client(mode, setup);
  const wire = new WireLog(() => (mode === "legacy" ? "2025-11-25" : "2026-07-28"));
  await client.connect(
    recording(
      transport as unknown as Parameters<typeof recording>[0],
      wire,
    ) as unknown as AnyV2Transport,
  );
  return { client, wire, close: () => client.close() };
}
