import { createRequire } from "node:module";
import { extractParamHeaders } from "../components/param-headers.js";
import {
  isRecord,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_PROTOCOL_VERSION,
  META_SERVER_INFO,
} from "../protocol/meta.js";
import type { CallToolResult, Implementation, ToolDefinition } from "../protocol/types.js";
import { type Era, LATEST_LEGACY_VERSION, LATEST_MODERN_VERSION } from "../protocol/versions.js";
import { targetParam } from "../transports/http/target.js";
import { CliError, EXIT } from "./errors.js";
import { HttpStatusError } from "./http-wire.js";
import { RpcError, type Wire } from "./wire.js";

/** `--era`: try 2026-07-28 and fall back (auto), or insist on one. */
export type EraChoice = "auto" | Era;

/** Beyond this many pages a list is taken to be a server's cursor loop. */
const MAX_PAGES = 10_000;

function clientInfo(): Implementation {
  // src/cli/ and dist/ chunks are both two folders below the package's root.
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return { name: "fastmcp-ts", version: pkg.version };
}

interface Opening {
  readonly era: Era;
  readonly protocolVersion: string;
  readonly result: Record<string, unknown>;
}

/**
 * One conversation with a server, in the era it speaks: 2026-07-28 (every
 * request carries its version, capabilities and client info in `_meta`, and
 * the headers repeat method and name) or legacy (`initialize`, then the
 * session). `inspect` and `call` talk through this and nothing else.
 */
export class McpSession {
  readonly era: Era;
  readonly protocolVersion: string;
  readonly serverInfo: Implementation | undefined;
  readonly capabilities: Record<string, unknown>;
  readonly #wire: Wire;
  readonly #client = clientInfo();
  #nextId = 1;

  private constructor(wire: Wire, opening: Opening) {
    this.#wire = wire;
    this.era = opening.era;
    this.protocolVersion = opening.protocolVersion;
    const { result } = opening;
    const info = opening.era === "modern" ? metaOf(result)[META_SERVER_INFO] : result.serverInfo;
    this.serverInfo = isRecord(info) ? (info as unknown as Implementation) : undefined;
    this.capabilities = isRecord(result.capabilities) ? result.capabilities : {};
  }

  /**
   * Opens the conversation. Auto tries `server/discover` first; a server
   * that answers it with anything but 2026-07-28 among its versions (an
   * HTTP error, a JSON-RPC error: the official v1 SDK's servers answer 400,
   * "No valid session ID provided") gets the legacy handshake instead. Refusals (401, 403)
   * and unreachable servers end it at once: the other era would meet them too.
   */
  static async open(wire: Wire, choice: EraChoice): Promise<McpSession> {
    let modernFailure: Error | undefined;
    if (choice !== "legacy") {
      const probe = new McpSession(wire, {
        era: "modern",
        protocolVersion: LATEST_MODERN_VERSION,
        result: {},
      });
      try {
        const result = await probe.request("server/discover", {});
        const versions = Array.isArray(result.supportedVersions) ? result.supportedVersions : [];
        if (!versions.includes(LATEST_MODERN_VERSION))
          throw new RpcError(0, `it supports ${versions.join(", ") || "no version it names"}`);
        return new McpSession(wire, {
          era: "modern",
          protocolVersion: LATEST_MODERN_VERSION,
          result,
        });
      } catch (error) {
        if (!(error instanceof RpcError || error instanceof HttpStatusError)) throw error;
        if (choice === "modern") {
          // A wrong URL is not an era question.
          if (error instanceof HttpStatusError && error.status === 404) throw error;
          throw new CliError(
            `${wire.label} does not speak ${LATEST_MODERN_VERSION}: ${error.message}. Leave out --era modern to fall back to the legacy handshake.`,
            EXIT.failure,
          );
        }
        modernFailure = error;
      }
    }
    return McpSession.#openLegacy(wire, modernFailure);
  }

  static async #openLegacy(wire: Wire, modernFailure: Error | undefined): Promise<McpSession> {
    const handshake = new McpSession(wire, {
      era: "legacy",
      protocolVersion: LATEST_LEGACY_VERSION,
      result: {},
    });
    let result: Record<string, unknown>;
    try {
      result = await handshake.request("initialize", {
        protocolVersion: LATEST_LEGACY_VERSION,
        capabilities: {},
        clientInfo: handshake.#client,
      });
    } catch (error) {
      if (!(error instanceof RpcError || error instanceof HttpStatusError)) throw error;
      // The same HTTP answer to both eras is about the URL, not the era: say it once.
      const same =
        error instanceof HttpStatusError &&
        modernFailure instanceof HttpStatusError &&
        modernFailure.status === error.status;
      if (same) throw error;
      const why =
        error instanceof RpcError
          ? `${wire.label} refused initialize: ${error.message} (${error.code})`
          : error.message;
      const tried = modernFailure
        ? `; and server/discover (${LATEST_MODERN_VERSION}) failed: ${modernFailure.message}`
        : "";
      throw new CliError(`${why}${tried}`, EXIT.failure);
    }
    const version =
      typeof result.protocolVersion === "string" ? result.protocolVersion : LATEST_LEGACY_VERSION;
    const session = new McpSession(wire, { era: "legacy", protocolVersion: version, result });
    await wire.send(
      { jsonrpc: "2.0", method: "notifications/initialized", params: {} },
      { "mcp-protocol-version": version },
    );
    return session;
  }

  /**
   * Sends one request and returns its result; a JSON-RPC error throws
   * `RpcError`. `headers` adds HTTP headers (a tool's `Mcp-Param-*`).
   */
  async request(
    method: string,
    params: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const all: Record<string, string> = { ...headers };
    // Legacy: the version header follows the handshake that settles it.
    if (method !== "initialize") all["mcp-protocol-version"] = this.protocolVersion;
    let sent = params;
    if (this.era === "modern") {
      sent = {
        ...params,
        _meta: {
          [META_PROTOCOL_VERSION]: this.protocolVersion,
          [META_CLIENT_CAPABILITIES]: {},
          [META_CLIENT_INFO]: this.#client,
        },
      };
      all["mcp-method"] = method;
      const named = targetParam(method);
      if (named !== undefined && typeof params[named] === "string")
        all["mcp-name"] = headerValue(params[named]);
    }
    const id = this.#nextId++;
    const response = await this.#wire.send({ jsonrpc: "2.0", id, method, params: sent }, all);
    if (response === undefined || !("result" in response)) {
      const error = response?.error;
      throw new RpcError(error?.code ?? 0, error?.message ?? "no answer", error?.data);
    }
    const result = isRecord(response.result) ? response.result : {};
    if (result.resultType === "input_required") throw inputRequired(method, result);
    return result;
  }

  /** Every page of a list (`tools/list`, ...), following `nextCursor`. */
  async listAll(method: string, key: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.request(method, cursor === undefined ? {} : { cursor });
      const found = result[key];
      if (Array.isArray(found)) items.push(...found);
      const next = result.nextCursor;
      if (typeof next !== "string") return items;
      if (seen.has(next))
        throw new CliError(
          `${this.#wire.label} sent the cursor "${next}" twice for ${method}: its pagination loops`,
          EXIT.failure,
        );
      seen.add(next);
      cursor = next;
    }
    throw new CliError(`${method} went on past ${MAX_PAGES} pages`, EXIT.failure);
  }

  /**
   * `tools/call`, with the `Mcp-Param-*` headers 2026-07-28 asks for each
   * argument the tool's schema marks `x-mcp-header`.
   */
  async callTool(tool: ToolDefinition, args: Record<string, unknown>): Promise<CallToolResult> {
    const headers: Record<string, string> = {};
    if (this.era === "modern") {
      for (const param of paramHeaders(tool)) {
        let value: unknown = args;
        for (const key of param.path) value = isRecord(value) ? value[key] : undefined;
        if (value !== undefined && value !== null)
          headers[param.header] = headerValue(String(value));
      }
    }
    const result = await this.request("tools/call", { name: tool.name, arguments: args }, headers);
    return result as unknown as CallToolResult;
  }

  close(): Promise<void> {
    return this.#wire.close();
  }
}

function metaOf(result: Record<string, unknown>): Record<string, unknown> {
  return isRecord(result._meta) ? result._meta : {};
}

/** A server's tool with annotations it may not carry (the spec says drop them) sends none. */
function paramHeaders(tool: ToolDefinition): ReturnType<typeof extractParamHeaders> {
  try {
    return isRecord(tool.inputSchema) ? extractParamHeaders(tool.inputSchema, tool.name) : [];
  } catch {
    return [];
  }
}

/** A header value as 2026-07-28 sends it: plain ASCII as is, anything else `=?base64?…?=`. */
function headerValue(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && value.trim() === value) return value;
  return `=?base64?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

/** The command cannot answer elicitation or sampling: it says what the server wanted. */
function inputRequired(method: string, result: Record<string, unknown>): CliError {
  const asks = isRecord(result.inputRequests) ? Object.values(result.inputRequests) : [];
  const described = asks.map((ask) => {
    const { method: asked, params } = isRecord(ask) ? ask : {};
    const message = isRecord(params) && typeof params.message === "string" ? params.message : "";
    return `${String(asked)}${message ? ` ("${message}")` : ""}`;
  });
  return new CliError(
    `${method} needs input from the client (${described.join(", ") || "input_required"}), which fastmcp-ts cannot give from the command line; use a client that can answer it`,
    EXIT.failure,
  );
}
