import { BEARER_TOKEN } from "./bearer.ts";
import {
  type Exchange,
  LEGACY_VERSION,
  legacyCall,
  legacyList,
  MODERN_VERSION,
  modernCall,
  modernList,
} from "./messages.ts";

/** How a server is started for a workload (environment of bench/servers/*.mjs). */
export interface ServerConfig {
  /** Behind a bearer-token verifier (`call-auth`); only our servers have one to measure. */
  readonly auth?: boolean;
  /** Served by `run({ workers })` with this many processes (`call-workers`). */
  readonly workers?: number;
  /** With fastmcp-ts/otel (`call-otel`): "sdk" records every span; "api" registers no SDK. */
  readonly telemetry?: "sdk" | "sdk-steps" | "sdk-alone" | "api" | "sdk-no-context";
  /** State in Redis (`redisState()`, `session-redis`): the harness starts a redis-server. */
  readonly redis?: boolean;
  readonly tools: 1 | 51;
  readonly stateful: boolean;
  readonly response: "json" | "sse";
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly server: ServerConfig;
  /** The request, legacy ones at the framework's version (`legacyVersionOf`). */
  exchange(legacyVersion: string): Exchange;
  /** Requests carry a legacy session id (made before timing, one per connection). */
  readonly sessions: boolean;
  /** Why the answer is wrong, or undefined when it is right. */
  check(contentType: string | null, messages: unknown[]): string | undefined;
}

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

/** The one response, with id `id`, or why there is none. */
export function resultOf(messages: unknown[], id: number | string = 1): Json | string {
  const responses = messages.map(record).filter((m) => m !== undefined && "id" in m);
  if (responses.length !== 1) return `expected one response, got ${responses.length}`;
  const response = responses[0] as Json;
  if (response.id !== id)
    return `response id ${JSON.stringify(response.id)} is not ${JSON.stringify(id)}`;
  if (response.error !== undefined) return `error: ${JSON.stringify(response.error)}`;
  return record(response.result) ?? "no result object";
}

export function checkSum(result: Json): string | undefined {
  if (result.isError === true) return `tool error: ${JSON.stringify(result.content)}`;
  const structured = record(result.structuredContent);
  if (structured?.sum !== 3)
    return `structuredContent is ${JSON.stringify(result.structuredContent)}`;
  return undefined;
}

function checkList(result: Json): string | undefined {
  const tools = Array.isArray(result.tools) ? (result.tools as unknown[]).map(record) : [];
  if (tools.length !== 51) return `expected 51 tools, got ${tools.length}`;
  const add = tools.find((tool) => tool?.name === "add");
  if (!record(add?.outputSchema)) return "add has no outputSchema";
  return undefined;
}

/** A 2026-07-28 answer says so: every result there carries resultType. */
export function checkModern(result: Json): string | undefined {
  return result.resultType === "complete"
    ? undefined
    : `not served as ${MODERN_VERSION} (no resultType "complete")`;
}

export function then(
  result: Json | string,
  ...checks: ((result: Json) => string | undefined)[]
): string | undefined {
  if (typeof result === "string") return result;
  for (const check of checks) {
    const problem = check(result);
    if (problem) return problem;
  }
  return undefined;
}

const plain: ServerConfig = { tools: 1, stateful: false, response: "json" };
const wide: ServerConfig = { tools: 51, stateful: false, response: "json" };

export const WORKLOADS: readonly Workload[] = [
  {
    id: "call-legacy",
    title: `tools/call, legacy era (${LEGACY_VERSION}), stateless, JSON`,
    server: plain,
    exchange: (version) => legacyCall(version),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkSum),
  },
  {
    id: "call-modern",
    title: "tools/call, 2026-07-28",
    server: plain,
    exchange: () => modernCall(),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkSum),
  },
  {
    id: "list-legacy",
    title: "tools/list with 51 tools, legacy era",
    server: wide,
    exchange: (version) => legacyList(version),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkList),
  },
  {
    id: "list-modern",
    title: "tools/list with 51 tools, 2026-07-28",
    server: wide,
    exchange: () => modernList(),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkList),
  },
  {
    id: "call-auth",
    title: "tools/call, 2026-07-28, with a bearer JWT (RS256) checked by JWTVerifier",
    server: { ...plain, auth: true },
    exchange: () => {
      const call = modernCall();
      return {
        body: call.body,
        headers: { ...call.headers, Authorization: `Bearer ${BEARER_TOKEN}` },
      };
    },
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkSum),
  },
  {
    id: "call-otel",
    title:
      "tools/call, 2026-07-28, traced: openTelemetry() with the SDK registered (in-memory exporter)",
    server: { ...plain, telemetry: "sdk" },
    exchange: () => modernCall(),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkSum),
  },
  {
    id: "call-otel-sdk-alone",
    title:
      "tools/call, 2026-07-28, the OpenTelemetry SDK registered but the server not traced (what the SDK costs by itself)",
    server: { ...plain, telemetry: "sdk-alone" },
    exchange: () => modernCall(),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkSum),
  },
  {
    id: "call-otel-noop",
    title: "tools/call, 2026-07-28, openTelemetry() with @opentelemetry/api but no SDK registered",
    server: { ...plain, telemetry: "api" },
    exchange: () => modernCall(),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkModern, checkSum),
  },
  {
    id: "call-workers",
    title: `tools/call, legacy era (${LEGACY_VERSION}), stateless, JSON, run({ workers: 2 })`,
    server: { ...plain, workers: 2 },
    exchange: (version) => legacyCall(version),
    sessions: false,
    check: (_type, messages) => then(resultOf(messages), checkSum),
  },
  {
    id: "call-sse",
    title: "tools/call streamed as SSE: two progress notifications, then the result",
    server: { tools: 1, stateful: false, response: "sse" },
    exchange: (version) => legacyCall(version, true),
    sessions: false,
    check: (type, messages) => {
      if (!type?.includes("text/event-stream")) return `answered ${type}, not an SSE stream`;
      const progress = messages
        .map(record)
        .filter((m) => m?.method === "notifications/progress")
        .map((m) => record(m?.params));
      if (progress.length !== 2 || progress.some((p) => p?.progressToken !== "p1"))
        return `expected two progress notifications for token p1, got ${JSON.stringify(progress)}`;
      const last = record(messages.at(-1));
      if (last?.id !== 1) return "the result is not the last event";
      return then(resultOf(messages), checkSum);
    },
  },
  {
    id: "session",
    title: "tools/call in stateful legacy sessions (Mcp-Session-Id)",
    server: { tools: 1, stateful: true, response: "json" },
    exchange: (version) => legacyCall(version),
    sessions: true,
    check: (_type, messages) => then(resultOf(messages), checkSum),
  },
  {
    id: "session-redis",
    title: "tools/call in stateful legacy sessions, state in Redis (redisState)",
    server: { tools: 1, stateful: true, response: "json", redis: true },
    exchange: (version) => legacyCall(version),
    sessions: true,
    check: (_type, messages) => then(resultOf(messages), checkSum),
  },
];

/** Workloads of fastmcp-ts features the peers have no counterpart of: measured for it and the floors only. */
export function oursOnly(server: ServerConfig): string | undefined {
  if (server.auth) return "measured for fastmcp-ts only (what its bearer verification costs)";
  if (server.telemetry)
    return "measured for fastmcp-ts only (what its OpenTelemetry tracing costs)";
  if (server.workers !== undefined) return "measured for fastmcp-ts only (its run({ workers }))";
  if (server.redis) return "measured for fastmcp-ts only (its state in Redis)";
  return undefined;
}
