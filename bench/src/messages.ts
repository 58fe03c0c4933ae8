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

/** How a tools/call is built: its JSON-RPC id, a progress token, the legacy version. */
export interface CallOptions {
  readonly id?: number | string;
  readonly progressToken?: string;
  readonly version?: string;
}

export function legacyToolCall(
  name: string,
  args: object,
  { id = 1, progressToken, version = LEGACY_VERSION }: CallOptions = {},
): Exchange {
  const params: Record<string, unknown> = { name, arguments: args };
  if (progressToken !== undefined) params._meta = { progressToken };
  return {
    body: { jsonrpc: "2.0", id, method: "tools/call", params },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

export function modernToolCall(
  name: string,
  args: object,
  { id = 1, progressToken }: CallOptions = {},
): Exchange {
  const meta = progressToken === undefined ? MODERN_META : { ...MODERN_META, progressToken };
  return {
    body: {
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name, arguments: args, _meta: meta },
    },
    headers: {
      ...BASE_HEADERS,
      "MCP-Protocol-Version": MODERN_VERSION,
      "Mcp-Method": "tools/call",
      "Mcp-Name": name,
    },
  };
}

export function legacyCall(version = LEGACY_VERSION, progress = false): Exchange {
  return legacyToolCall(
    "add",
    { a: 1, b: 2 },
    { version, progressToken: progress ? "p1" : undefined },
  );
}

export function modernCall(): Exchange {
  return modernToolCall("add", { a: 1, b: 2 });
}

export function legacyList(version = LEGACY_VERSION, id: number | string = 1): Exchange {
  return {
    body: { jsonrpc: "2.0", id, method: "tools/list", params: {} },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

export function modernList(id: number | string = 1): Exchange {
  return {
    body: { jsonrpc: "2.0", id, method: "tools/list", params: { _meta: MODERN_META } },
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

/** Any legacy request: `method` with `params`. */
export function legacyRequest(
  method: string,
  params: object,
  id: number | string = 1,
  version = LEGACY_VERSION,
): Exchange {
  return {
    body: { jsonrpc: "2.0", id, method, params },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

/** The client cancels one of its requests (legacy sessions). */
export function cancelled(requestId: number | string, version = LEGACY_VERSION): Exchange {
  return {
    body: {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId, reason: "soak: cancelled mid-flight" },
    },
    headers: { ...BASE_HEADERS, "MCP-Protocol-Version": version },
  };
}

/** Headers of a GET or DELETE on a legacy session's endpoint. */
export function sessionHeaders(
  sessionId: string,
  version = LEGACY_VERSION,
  lastEventId?: string,
): Headers {
  const headers: Headers = {
    Accept: "text/event-stream",
    "MCP-Protocol-Version": version,
    "Mcp-Session-Id": sessionId,
  };
  if (lastEventId !== undefined) headers["Last-Event-ID"] = lastEventId;
  return headers;
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
