/** The requests the benchmark sends, and how to read what comes back. */

/** The legacy era's version the workloads are sent at, unless a framework says otherwise. */
export const LEGACY_VERSION = "2025-11-25";
export const MODERN_VERSION = "2026-07-28";

export type Headers = Record<string, string>;

export interface Exchange {
  readonly body: object;
  readonly headers: Headers;
}

const BASE_HEADERS: Headers = {
  "Content-Type": "application/json",
  Accept: "application/json, text/event-stream",
};

const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1.0.0" },
};

export function legacyCall(version = LEGACY_VERSION, progress = false): Exchange {
  const params: Record<string, unknown> = { name: "add", arguments: { a: 1, b: 2 } };
  if (progress) params._meta = { progressToken: "p1" };
  return {
    body: { jsonrpc: "2.0", id: 1, method: "tools/call", params },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

export function modernCall(): Exchange {
  return {
    body: {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "add", arguments: { a: 1, b: 2 }, _meta: MODERN_META },
    },
    headers: {
      ...BASE_HEADERS,
      "MCP-Protocol-Version": MODERN_VERSION,
      "Mcp-Method": "tools/call",
      "Mcp-Name": "add",
    },
  };
}

export function legacyList(version = LEGACY_VERSION): Exchange {
  return {
    body: { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

export function modernList(): Exchange {
  return {
    body: { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } },
    headers: {
      ...BASE_HEADERS,
      "MCP-Protocol-Version": MODERN_VERSION,
      "Mcp-Method": "tools/list",
    },
  };
}

export function initialize(id: number | string = 0, version = LEGACY_VERSION): Exchange {
  return {
    body: {
      jsonrpc: "2.0",
      id,
      method: "initialize",
      params: {
        protocolVersion: version,
        capabilities: {},
        clientInfo: { name: "bench", version: "1.0.0" },
      },
    },
    headers: BASE_HEADERS,
  };
}

export function initialized(version = LEGACY_VERSION): Exchange {
  return {
    body: { jsonrpc: "2.0", method: "notifications/initialized" },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

/** The JSON-RPC messages of a response: one JSON body, or the `data:` of each SSE event. */
export function messagesOf(contentType: string | null, text: string): unknown[] {
  if (contentType?.includes("text/event-stream")) {
    const out: unknown[] = [];
    for (const event of text.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data !== "") out.push(JSON.parse(data));
    }
    return out;
  }
  return text === "" ? [] : [JSON.parse(text)];
}
