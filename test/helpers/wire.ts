/**
 * Checks every message on the wire against the official JSON Schema of its
 * protocol version, read from ../shared/mcp-schema/<version>/schema.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@cfworker/json-schema";

const here = dirname(fileURLToPath(import.meta.url));
export const SCHEMA_DIR = resolve(here, "../../../shared/mcp-schema");

type Schema = Record<string, unknown>;
const schemas = new Map<string, Schema>();
const validators = new Map<string, Validator>();

function loadSchema(version: string): Schema {
  let schema = schemas.get(version);
  if (!schema) {
    const path = join(SCHEMA_DIR, version, "schema.json");
    if (!existsSync(path)) {
      throw new Error(
        `The MCP wire schemas are missing: expected ${path}. They live in the steering repository's shared/mcp-schema folder, next to this checkout.`,
      );
    }
    schema = JSON.parse(readFileSync(path, "utf8")) as Schema;
    schemas.set(version, schema);
  }
  return schema;
}

/** Validates `value` against `#/$defs/<definition>` (or `#/definitions/...` in older versions). */
export function validateWire(version: string, definition: string, value: unknown): string[] {
  const key = `${version}#${definition}`;
  let validator = validators.get(key);
  if (!validator) {
    const schema = loadSchema(version);
    const defsKey = "$defs" in schema ? "$defs" : "definitions";
    const defs = schema[defsKey] as Record<string, unknown>;
    if (!(definition in defs)) throw new Error(`${version} has no definition ${definition}`);
    const draft = defsKey === "$defs" ? "2020-12" : "7";
    validator = new Validator(
      { [defsKey]: defs, $ref: `#/${defsKey}/${definition}` },
      draft,
      false,
    );
    validators.set(key, validator);
  }
  const result = validator.validate(value);
  return result.valid
    ? []
    : result.errors.slice(-5).map((e) => `${e.instanceLocation}: ${e.error}`);
}

const RESULT_DEFINITIONS: Record<string, string> = {
  initialize: "InitializeResult",
  ping: "Result",
  "logging/setLevel": "Result",
  "server/discover": "DiscoverResult",
  "tools/list": "ListToolsResult",
  "tools/call": "CallToolResult",
  "resources/list": "ListResourcesResult",
  "resources/templates/list": "ListResourceTemplatesResult",
  "resources/read": "ReadResourceResult",
  "prompts/list": "ListPromptsResult",
  "prompts/get": "GetPromptResult",
  "completion/complete": "CompleteResult",
  "resources/subscribe": "Result",
  "resources/unsubscribe": "Result",
  "subscriptions/listen": "SubscriptionsListenResult",
};

type WireMessage = Record<string, unknown>;

/**
 * Records both directions of a conversation and checks each server message:
 * responses against the result type of the request they answer, notifications
 * against ServerNotification, errors against the error response type.
 */
export class WireLog {
  readonly sent: WireMessage[] = [];
  readonly received: WireMessage[] = [];
  readonly #methods = new Map<string, string>();

  constructor(private readonly version: () => string) {}

  clientSent(message: WireMessage): void {
    this.sent.push(message);
    if (typeof message.method === "string" && message.id !== undefined) {
      this.#methods.set(JSON.stringify(message.id), message.method);
    }
  }

  serverSent(message: WireMessage): void {
    this.received.push(message);
    const result = message.result as { protocolVersion?: unknown } | undefined;
    if (
      this.#methods.get(JSON.stringify(message.id)) === "initialize" &&
      typeof result?.protocolVersion === "string"
    ) {
      this.#negotiated = result.protocolVersion;
    }
  }

  #negotiated: string | undefined;

  /** Every problem found, one line each; empty when every message is valid. */
  problems(): string[] {
    const problems: string[] = [];
    for (const message of this.received) {
      const version = this.#negotiated ?? this.version();
      const errors = this.check(version, message);
      if (errors.length > 0)
        problems.push(`${JSON.stringify(message).slice(0, 300)} → ${errors.join("; ")}`);
    }
    return problems;
  }

  check(version: string, message: WireMessage): string[] {
    const defs = "$defs" in loadSchema(version) ? "JSONRPCErrorResponse" : "JSONRPCError";
    if ("error" in message) {
      return validateWire(
        version,
        version >= "2025-11-25" ? "JSONRPCErrorResponse" : defs,
        message,
      );
    }
    if ("method" in message) {
      return validateWire(
        version,
        "id" in message ? "ServerRequest" : "ServerNotification",
        message,
      );
    }
    const method = this.#methods.get(JSON.stringify(message.id));
    if (!method) return [`response to an unknown request id ${JSON.stringify(message.id)}`];
    const inputRequired =
      (message.result as { resultType?: unknown } | undefined)?.resultType === "input_required";
    const definition = inputRequired ? "InputRequiredResult" : RESULT_DEFINITIONS[method];
    if (!definition) return [`no result definition known for ${method}`];
    return validateWire(version, definition, message.result);
  }
}

interface SdkTransport {
  start(): Promise<void>;
  send(message: WireMessage, options?: unknown): Promise<void>;
  close(): Promise<void>;
  onmessage?(message: WireMessage, extra?: unknown): void;
  onclose?(): void;
  onerror?(error: Error): void;
  setProtocolVersion?(version: string): void;
  sessionId?: string;
}

/**
 * Wraps an SDK client transport so every message both ways lands in `log`.
 * Everything else (sessionId, hasPerRequestStream, ...) reads through to the
 * real transport, so the client behaves exactly as it would without the log.
 */
export function recording<T extends SdkTransport>(inner: T, log: WireLog): SdkTransport {
  const handlers: Pick<SdkTransport, "onmessage" | "onclose" | "onerror"> = {};
  const own: Partial<SdkTransport> = {
    send: (message, options) => {
      log.clientSent(message);
      return inner.send(message, options);
    },
  };
  inner.onmessage = (message, extra) => {
    log.serverSent(message);
    handlers.onmessage?.(message, extra);
  };
  inner.onclose = () => handlers.onclose?.();
  inner.onerror = (error) => handlers.onerror?.(error);
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "onmessage" || property === "onclose" || property === "onerror")
        return handlers[property];
      if (Object.hasOwn(own, property)) return own[property as keyof SdkTransport];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" && property !== "constructor" ? value.bind(target) : value;
    },
    set(target, property, value) {
      if (property === "onmessage" || property === "onclose" || property === "onerror") {
        (handlers as Record<string, unknown>)[property] = value;
        return true;
      }
      return Reflect.set(target, property, value);
    },
  }) as SdkTransport;
}
