/**
 * Official SDK clients that answer a server's asks (elicitation, sampling,
 * roots) with scripted answers, in every era, recording what they were asked.
 */
import type { Client as V2Client } from "@modelcontextprotocol/client";
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { FastMCP } from "../../src/index.ts";
import { type Connected, v1InMemory, v2InMemory } from "./clients.ts";

type Params = Record<string, unknown>;
type Answer = (params: Params) => unknown;

/** How the client answers each kind of ask; a kind without an answer is not declared. */
export interface Script {
  elicit?: Answer;
  sample?: Answer;
  roots?: Answer;
  /** Overrides the capabilities derived from the answers given. */
  capabilities?: Record<string, unknown>;
}

export interface Asked {
  method: string;
  params: Params;
}

export interface Answering<C> extends Connected<C> {
  /** Every ask the client received, in order. */
  asked: Asked[];
  call(name: string, args?: Params): Promise<Record<string, unknown>>;
}

export type EraName = "legacy (v1 client)" | "legacy (v2 client)" | "2026-07-28 (v2 client)";
export const ERAS: readonly EraName[] = [
  "legacy (v1 client)",
  "legacy (v2 client)",
  "2026-07-28 (v2 client)",
];

function capabilitiesOf(script: Script): Record<string, unknown> {
  if (script.capabilities) return script.capabilities;
  const capabilities: Record<string, unknown> = {};
  if (script.elicit) capabilities.elicitation = { form: {}, url: {} };
  if (script.sample) capabilities.sampling = { tools: {} };
  if (script.roots) capabilities.roots = {};
  return capabilities;
}

/** Connects the official client of `era` to `server`, answering asks from `script`. */
export async function connectAnswering<L>(
  era: EraName,
  server: FastMCP<L>,
  script: Script,
): Promise<Answering<V1Client | V2Client>> {
  const asked: Asked[] = [];
  const respond = (method: string, answer: Answer | undefined) => async (request: unknown) => {
    const params = ((request as { params?: Params }).params ?? {}) as Params;
    asked.push({ method, params });
    return (await answer?.(params)) as never;
  };
  const capabilities = capabilitiesOf(script);
  if (era === "legacy (v1 client)") {
    const connection = await v1InMemory(server, {
      capabilities,
      handlers: (client) => {
        if (capabilities.elicitation)
          client.setRequestHandler(
            ElicitRequestSchema,
            respond("elicitation/create", script.elicit),
          );
        if (capabilities.sampling)
          client.setRequestHandler(
            CreateMessageRequestSchema,
            respond("sampling/createMessage", script.sample),
          );
        if (capabilities.roots)
          client.setRequestHandler(ListRootsRequestSchema, respond("roots/list", script.roots));
      },
    });
    return {
      ...connection,
      asked,
      call: async (name, args = {}) =>
        (await connection.client.callTool({ name, arguments: args })) as Record<string, unknown>,
    };
  }
  const connection = await v2InMemory(
    server,
    era === "legacy (v2 client)" ? "legacy" : { pin: "2026-07-28" },
    {
      capabilities,
      handlers: (client) => {
        if (capabilities.elicitation)
          client.setRequestHandler(
            "elicitation/create",
            respond("elicitation/create", script.elicit),
          );
        if (capabilities.sampling)
          client.setRequestHandler(
            "sampling/createMessage",
            respond("sampling/createMessage", script.sample),
          );
        if (capabilities.roots)
          client.setRequestHandler("roots/list", respond("roots/list", script.roots));
      },
    },
  );
  return {
    ...connection,
    asked,
    call: async (name, args = {}) =>
      (await connection.client.callTool({ name, arguments: args })) as Record<string, unknown>,
  };
}

/** The first text block of a tool result. */
export function text(result: Record<string, unknown>): string | undefined {
  return (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text;
}

/** Every tools/call the client sent (one per round in the modern era). */
export function toolCalls(connection: Connected<unknown>): Record<string, unknown>[] {
  return connection.wire.sent.filter((message) => message.method === "tools/call");
}
