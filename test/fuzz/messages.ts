/**
 * Generators of JSON-RPC messages for both protocol eras: valid ones, almost
 * valid ones (a field replaced by a hostile value, removed, or a
 * prototype-named key added) and garbage. Only JSON values: that is all a
 * transport can deliver.
 */
import fc from "fast-check";

export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "fuzz", version: "1" },
};

/** A valid call of each method, by era; `subscriptions/listen` is left out (it stays open). */
const VALID_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  ping: {},
  "tools/list": {},
  "tools/call": { name: "add", arguments: { a: 1, b: 2 } },
  "resources/list": {},
  "resources/templates/list": {},
  "resources/read": { uri: "res://items/7" },
  "resources/subscribe": { uri: "res://static" },
  "resources/unsubscribe": { uri: "res://static" },
  "prompts/list": {},
  "prompts/get": { name: "greet", arguments: { name: "ada" } },
  "completion/complete": {
    ref: { type: "ref/prompt", name: "greet" },
    argument: { name: "name", value: "a" },
  },
  "logging/setLevel": { level: "info" },
  "server/discover": {},
  initialize: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "fuzz", version: "1" },
  },
  "notifications/initialized": {},
  "notifications/cancelled": { requestId: 1, reason: "fuzz" },
  "notifications/progress": { progressToken: 1, progress: 1 },
};
const METHODS = Object.keys(VALID_PARAMS);

/** Names that a plain-object lookup would find on Object.prototype. */
export const PROTO_NAMES = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "__defineGetter__",
  "prototype",
];

/** Arrays or objects nested `depth` levels, built without recursion. */
function nested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

/** Objects whose own keys are `__proto__` and friends, as JSON.parse makes them. */
const protoObject = fc
  .constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"__proto__":{"toString":"x"},"toString":1}',
  )
  .map((text) => JSON.parse(text) as unknown);

/** What a hostile client puts where a field should be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...PROTO_NAMES),
  fc
    .tuple(fc.integer({ min: 50, max: 6000 }), fc.constantFrom("array" as const, "object" as const))
    .map(([depth, kind]) => nested(depth, kind)),
  fc.integer({ min: 10_000, max: 300_000 }).map((length) => "x".repeat(length)),
  fc.constantFrom(
    0,
    -0,
    -1,
    1.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    "",
    " ",
    "\u0000",
    "\ud800",
    null,
    true,
    [],
    {},
  ),
  protoObject,
);

type Json = Record<string, unknown>;

/** A change to a message; most keep the rest of it valid so the fault reaches deep code. */
const mutation: fc.Arbitrary<(message: Json) => void> = fc.oneof(
  fc
    .tuple(fc.constantFrom("id", "method", "params", "jsonrpc"), hostileValue)
    .map(([key, value]) => (message: Json) => {
      message[key] = value;
    }),
  fc.tuple(fc.string({ maxLength: 12 }), hostileValue).map(([key, value]) => (message: Json) => {
    paramsOf(message)[key] = value;
  }),
  fc
    .tuple(
      fc.constantFrom("name", "uri", "arguments", "cursor", "ref", "argument", "level"),
      hostileValue,
    )
    .map(([key, value]) => (message: Json) => {
      paramsOf(message)[key] = value;
    }),
  fc
    .tuple(fc.constantFrom("a", "b", "name", "value", "count"), hostileValue)
    .map(([key, value]) => (message: Json) => {
      const params = paramsOf(message);
      const args = params.arguments;
      if (typeof args === "object" && args !== null && !Array.isArray(args))
        (args as Json)[key] = value;
      else params.arguments = { [key]: value };
    }),
  fc.tuple(fc.constantFrom(...PROTO_NAMES), hostileValue).map(([key, value]) => (message: Json) => {
    // Defined, not assigned: an own property named __proto__, as JSON.parse makes it.
    Object.defineProperty(paramsOf(message), key, { value, enumerable: true, writable: true });
  }),
  fc.tuple(fc.constantFrom(...PROTO_NAMES)).map(([name]) => (message: Json) => {
    const params = paramsOf(message);
    if ("name" in params) params.name = name;
    else if ("uri" in params) params.uri = name;
    else message.method = name;
  }),
  fc.constantFrom("id", "method", "params", "jsonrpc").map((key) => (message: Json) => {
    delete message[key];
  }),
  fc.tuple(fc.string({ maxLength: 40 }), hostileValue).map(([key, value]) => (message: Json) => {
    const params = paramsOf(message);
    const meta = params._meta;
    if (typeof meta === "object" && meta !== null && !Array.isArray(meta))
      (meta as Json)[key] = value;
    else params._meta = value;
  }),
);

function paramsOf(message: Json): Json {
  const params = message.params;
  if (typeof params === "object" && params !== null && !Array.isArray(params))
    return params as Json;
  const fresh: Json = {};
  message.params = fresh;
  return fresh;
}

export type Era = "legacy" | "modern";

/** A message: a valid one of some method and era with up to three mutations, or garbage. */
export function messageArbitrary(era: Era): fc.Arbitrary<unknown> {
  const shaped = fc
    .record({
      method: fc.constantFrom(...METHODS),
      id: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.string({ maxLength: 20 })),
      mutations: fc.array(mutation, { maxLength: 3 }),
    })
    .map(({ method, id, mutations }) => {
      const params = structuredClone(VALID_PARAMS[method] ?? {});
      if (era === "modern") params._meta = structuredClone(MODERN_META);
      const message: Json = { jsonrpc: "2.0", method, params };
      if (!method.startsWith("notifications/")) message.id = id;
      for (const mutate of mutations) mutate(message);
      return message;
    });
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** What JSON-RPC says must come back for a message: one answer with this id, one with null, or none. */
export function expectedAnswer(message: unknown): { id: string | number | null } | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message))
    return { id: null };
  const m = message as Json;
  const hasId = "id" in m && m.id !== undefined;
  const validId = typeof m.id === "string" || (typeof m.id === "number" && Number.isFinite(m.id));
  if (m.jsonrpc !== "2.0") return { id: hasId && validId ? (m.id as string | number) : null };
  if (typeof m.method !== "string") {
    if (hasId && ("result" in m || "error" in m)) return undefined; // a response to the server
    return { id: hasId && validId ? (m.id as string | number) : null };
  }
  if (!hasId) return undefined; // a notification
  return { id: validId ? (m.id as string | number) : null };
}
