import type { RequestScope } from "../protocol/scope.js";

/** Span names are low-cardinality by convention: a client's tool name is cut short. */
const TARGET_LIMIT = 128;

/** The attributes a request's span and its duration metric share, and its span name. */
export interface RequestAttributes {
  readonly name: string;
  readonly common: Record<string, string>;
}

/**
 * Per the OpenTelemetry MCP semantic conventions: span name
 * `{mcp.method.name} {target}` with the tool or prompt name as target (the
 * resource URI stays out of the name: high cardinality), and the attributes
 * the operation-duration metric also carries.
 */
export function requestAttributes(scope: RequestScope): RequestAttributes {
  const method = scope.method;
  const common: Record<string, string> = {
    "mcp.method.name": method,
    "mcp.protocol.version": scope.protocolVersion,
  };
  if (scope.http) {
    common["network.transport"] = "tcp";
    common["network.protocol.name"] = "http";
  } else {
    common["network.transport"] = "pipe";
  }
  let name = method;
  const target = scope.params.name;
  if (method === "tools/call" && typeof target === "string") {
    const tool = target.slice(0, TARGET_LIMIT);
    common["gen_ai.tool.name"] = tool;
    common["gen_ai.operation.name"] = "execute_tool";
    name = `${method} ${tool}`;
  } else if (method === "prompts/get" && typeof target === "string") {
    const prompt = target.slice(0, TARGET_LIMIT);
    common["gen_ai.prompt.name"] = prompt;
    name = `${method} ${prompt}`;
  }
  return { name, common };
}

/** The request's own attributes, on its span only (per request values, not for metrics). */
export function spanOnlyAttributes(scope: RequestScope): Record<string, string> {
  const attributes: Record<string, string> = { "jsonrpc.request.id": String(scope.id) };
  const session = scope.session?.id;
  if (session !== undefined) attributes["mcp.session.id"] = session;
  const uri = scope.params.uri;
  if (typeof uri === "string" && scope.method.startsWith("resources/")) {
    attributes["mcp.resource.uri"] = uri;
  }
  const client = scope.clientInfo;
  if (client && typeof client.name === "string")
    attributes["fastmcp.client.name"] = client.name.slice(0, TARGET_LIMIT);
  return attributes;
}

/** A value as span attribute text: JSON, or a note when it cannot be (cycles, BigInt). */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return "[unserializable]";
  }
}
