/** Serves a fastmcp-ts server over real HTTP on loopback and connects the official clients to it. */
import {
  type Client as V2Client,
  StreamableHTTPClientTransport as V2Http,
} from "@modelcontextprotocol/client";
import type { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1Http } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FastMCP, HttpRunOptions } from "../../src/index.ts";
import { type ClientSetup, type Connected, type V2Mode, v1Client, v2Client } from "./clients.ts";
import { recording, WireLog } from "./wire.ts";

export interface Served {
  /** The MCP endpoint's URL. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

type HttpExtras = Omit<HttpRunOptions, "transport" | "port" | "onListening" | "signal">;

/** Runs `mcp` with `run({ transport: "streamable-http" })` on a free loopback port. */
export async function serveHttp<L>(mcp: FastMCP<L>, options: HttpExtras = {}): Promise<Served> {
  const controller = new AbortController();
  let done: Promise<void> = Promise.resolve();
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    done = mcp
      .run({
        transport: "streamable-http",
        port: 0,
        logLevel: "error",
        shutdownTimeoutMs: 1000,
        ...options,
        signal: controller.signal,
        onListening: resolve,
      })
      .catch((error: unknown) => {
        reject(error);
      });
  });
  return {
    ...info,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

type SdkTransportArg = Parameters<typeof recording>[0];
type AnyV1Transport = Parameters<V1Client["connect"]>[0];
type AnyV2Transport = Parameters<V2Client["connect"]>[0];

export async function v1Http(
  url: string,
  setup: ClientSetup<V1Client> = {},
): Promise<Connected<V1Client> & { transport: V1Http }> {
  const transport = new V1Http(new URL(url));
  const client = v1Client(setup);
  const wire = new WireLog(() => "2025-11-25");
  await client.connect(recording(transport as unknown as SdkTransportArg, wire) as AnyV1Transport);
  return { client, wire, transport, close: () => client.close() };
}

export async function v2Http(
  url: string,
  mode: V2Mode = "auto",
  setup: ClientSetup<V2Client> = {},
): Promise<Connected<V2Client>> {
  const transport = new V2Http(new URL(url));
  const client = v2Client(mode, setup);
  const wire = new WireLog(() => (mode === "legacy" ? "2025-11-25" : "2026-07-28"));
  await client.connect(
    recording(transport as unknown as SdkTransportArg, wire) as unknown as AnyV2Transport,
  );
  return { client, wire, close: () => client.close() };
}

export const MODERN_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2026-07-28",
} as const;

export const LEGACY_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
} as const;

export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
} as const;

/** POSTs one JSON-RPC message; returns status, headers and the parsed body (JSON or SSE events). */
export async function post(
  url: string,
  message: unknown,
  headers: Record<string, string> = LEGACY_HEADERS,
): Promise<{ status: number; headers: Headers; body: unknown; events: unknown[] }> {
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: typeof message === "string" ? message : JSON.stringify(message),
  });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) {
    const events = parseSse(text)
      .filter((e) => e.data !== "")
      .map((e) => JSON.parse(e.data) as unknown);
    return { status: response.status, headers: response.headers, body: events.at(-1), events };
  }
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : (JSON.parse(text) as unknown),
    events: [],
  };
}

export interface SseEvent {
  id?: string;
  event?: string;
  retry?: number;
  data: string;
}

/** Parses SSE text into events (comments dropped). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\n\n/)) {
    if (block.trim() === "") continue;
    const event: SseEvent = { data: "" };
    let hasField = false;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      hasField = true;
      if (field === "data") data.push(value);
      else if (field === "id") event.id = value;
      else if (field === "event") event.event = value;
      else if (field === "retry") event.retry = Number(value);
    }
    if (!hasField) continue;
    event.data = data.join("\n");
    events.push(event);
  }
  return events;
}

/** A legacy `initialize` request, as a client would send it. */
export function initializeMessage(version = "2025-11-25", id: number | string = 1) {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: version,
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    },
  } as const;
}

/** A legacy session over raw HTTP: initializes, then POSTs with the session id. */
export async function legacySession(url: string, version = "2025-11-25"): Promise<string> {
  const init = await post(url, initializeMessage(version));
  const sessionId = init.headers.get("mcp-session-id");
  if (!sessionId) throw new Error(`initialize returned no session id (status ${init.status})`);
  await post(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { ...LEGACY_HEADERS, "mcp-session-id": sessionId },
  );
  return sessionId;
}

/** POSTs a `tools/call` in a legacy session and returns the raw response, for reading its stream. */
export function postCall(
  url: string,
  sessionId: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
  id = 2,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { ...LEGACY_HEADERS, "mcp-session-id": sessionId },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params }),
    ...(signal ? { signal } : {}),
  });
}
