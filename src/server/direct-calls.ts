import { messagesForVersion } from "../components/prompt-result.js";
import { Context } from "../context.js";
import { McpError } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import { detachedScope, type RequestScope } from "../protocol/scope.js";
import type { CallToolResult, GetPromptResult, ReadResourceResult } from "../protocol/types.js";
import { LATEST_LEGACY_VERSION } from "../protocol/versions.js";
import type { Conversions } from "./conversions.js";
import type { MutableCore } from "./core.js";
import type { Lifecycle } from "./lifecycle.js";

/**
 * Calls a tool, reads a resource or renders a prompt in-process, as a client
 * would but without a transport (`mcp.callTool` and friends, for unit tests).
 * Each runs in a detached scope at the latest legacy version.
 */
export class DirectCalls {
  readonly #core: MutableCore;
  readonly #lifecycle: Lifecycle;
  readonly #conversions: Conversions;
  readonly #reader = (uri: string, scope: RequestScope) => this.#core.readResource(uri, scope);

  constructor(core: MutableCore, lifecycle: Lifecycle, conversions: Conversions) {
    this.#core = core;
    this.#lifecycle = lifecycle;
    this.#conversions = conversions;
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    await this.#lifecycle.start();
    // A tool registered a moment ago may still be converting its schema.
    await this.#conversions.idle();
    const tool = this.#core.tools.get(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`, { name });
    const ctx = this.#context("tools/call", { name, arguments: args });
    return tool.call(args, ctx, this.#core.settings, this.#core.logger);
  }

  async readResource(uri: string): Promise<ReadResourceResult> {
    await this.#lifecycle.start();
    const scope = detachedScope("resources/read", { uri }, LATEST_LEGACY_VERSION, this.#reader);
    return this.#core.readResource(uri, scope);
  }

  async renderPrompt(name: string, args: Record<string, unknown>): Promise<GetPromptResult> {
    await this.#lifecycle.start();
    const prompt = this.#core.prompts.get(name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`, { name });
    const ctx = this.#context("prompts/get", { name, arguments: args });
    const messages = await prompt.render(args, ctx, this.#core.settings, this.#core.logger);
    const result: GetPromptResult = {
      messages: messagesForVersion(messages, LATEST_LEGACY_VERSION),
    };
    if (prompt.options.description !== undefined) result.description = prompt.options.description;
    return result;
  }

  #context(method: string, params: Record<string, unknown>): Context<unknown> {
    const scope = detachedScope(method, params, LATEST_LEGACY_VERSION, this.#reader);
    return new Context<unknown>(scope, this.#core.lifespan);
  }
}
