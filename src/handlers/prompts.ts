import { messagesForVersion } from "../components/prompt-result.js";
import { grants, viewOf, visibleOf } from "../components/scopes.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import { traceOf } from "../protocol/engine-scope.js";
import { invalidParams, type McpError } from "../protocol/errors.js";
import { isRecord } from "../protocol/meta.js";
import type { Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { clip } from "../util/echo.js";
import { ListCache } from "./list-cache.js";
import { page } from "./pages.js";

/** `prompts/list` and `prompts/get`. */
export function promptHandlers(core: ServerCore) {
  const pages = new ListCache();

  return {
    list(scope: RequestScope): Result {
      const version = scope.protocolVersion;
      const { cursor } = scope.params;
      const view = viewOf(core.prompts, scope.auth);
      return pages.get(
        String(core.prompts.revision),
        version,
        cursor,
        () =>
          page(
            "prompts",
            visibleOf(core.prompts.enabled(), view.visible).map((p) => p.definition(version)),
            cursor,
            core.settings.pageSize,
          ),
        view.key,
        traceOf(scope),
      );
    },

    async get(scope: RequestScope): Promise<Result> {
      const { name, arguments: args } = scope.params;
      if (typeof name !== "string") throw invalidParams('prompts/get: "name" must be a string');
      if (args !== undefined && !isRecord(args))
        throw invalidParams('prompts/get: "arguments" must be an object');
      const prompt = core.prompts.get(name);
      if (!prompt || !grants(scope.auth, prompt.options.scopes)) throw unknownPrompt(name);
      const ctx = new Context(scope, core.lifespan);
      const messages = await prompt.render(
        args ?? {},
        ctx,
        core.settings,
        core.logger,
        traceOf(scope),
      );
      const result: Result = { messages: messagesForVersion(messages, scope.protocolVersion) };
      if (prompt.options.description !== undefined) result.description = prompt.options.description;
      return result;
    },
  };
}

/** The name is the client's, so only its beginning is repeated. */
export function unknownPrompt(name: string): McpError {
  const shown = clip(name);
  return invalidParams(`Unknown prompt: ${shown}`, { name: shown });
}
