/** Runs the same checks through the official v1 client (legacy era) and v2 client (2026-07-28). */
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { FastMCP } from "../../src/index.ts";
import { type Connected, v1InMemory, v1Stdio, v2InMemory, v2Stdio } from "./clients.ts";

/** The calls both clients share, typed as the v1 client declares them. */
export type EraClient = Pick<
  V1Client,
  | "listResources"
  | "listResourceTemplates"
  | "readResource"
  | "listPrompts"
  | "getPrompt"
  | "complete"
  | "listTools"
  | "getServerCapabilities"
>;

export type EraName = "legacy" | "modern";

export interface EraConnection extends Omit<Connected<unknown>, "client"> {
  era: EraName;
  client: EraClient;
}

/** Connects in-memory: legacy through the v1 client, modern through the v2 client pinned to 2026-07-28. */
export async function connectEra<L>(server: FastMCP<L>, era: EraName): Promise<EraConnection> {
  const connection =
    era === "legacy" ? await v1InMemory(server) : await v2InMemory(server, { pin: "2026-07-28" });
  return { ...connection, era, client: connection.client as unknown as EraClient };
}

/** The same over stdio, running `file` in a child process. */
export async function connectEraStdio(file: string, era: EraName): Promise<EraConnection> {
  const connection =
    era === "legacy" ? await v1Stdio(file) : await v2Stdio(file, { pin: "2026-07-28" });
  return { ...connection, era, client: connection.client as unknown as EraClient };
}

export const ERAS: readonly EraName[] = ["legacy", "modern"];

/** The JSON-RPC error code each era uses for a resource that does not exist. */
export const NOT_FOUND: Record<EraName, number> = { legacy: -32002, modern: -32602 };

/** Resolves with the JSON-RPC error `promise` rejects with. */
export async function rpcError(
  promise: Promise<unknown>,
): Promise<{ code: number; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string; data?: unknown };
  }
  throw new Error("expected the request to fail");
}
