import { type Completer, toCompletion } from "../components/completion.js";
import { grants } from "../components/scopes.js";
import { Context } from "../context.js";
import type { ServerCore } from "../core.js";
import { invalidParams, McpError, methodNotFound } from "../protocol/errors.js";
import { ErrorCode } from "../protocol/jsonrpc.js";
import { isRecord } from "../protocol/meta.js";
import type { Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { clip } from "../util/echo.js";
import { unknownPrompt } from "./prompts.js";

const known = new WeakMap<ServerCore, { revision: string; value: boolean }>();

/** Whether any prompt or resource template has a completer; decides the `completions` capability. */
export function hasCompleters(core: ServerCore): boolean {
  const revision = `${core.prompts.revision}:${core.templates.revision}`;
  const cached = known.get(core);
  if (cached?.revision === revision) return cached.value;
  let value = false;
  for (const prompt of core.prompts.all()) value ||= prompt.hasCompleters;
  for (const template of core.templates.all()) value ||= template.hasCompleters;
  known.set(core, { revision, value });
  return value;
}

/** `completion/complete`: suggestions for a prompt argument or a resource template parameter. */
export async function complete(scope: RequestScope, core: ServerCore): Promise<Result> {
  // Without completers the capability is not advertised, and the spec's answer is -32601.
  if (!hasCompleters(core)) throw methodNotFound("completion/complete");
  const { ref, argument, context } = scope.params;
  if (
    !isRecord(argument) ||
    typeof argument.name !== "string" ||
    typeof argument.value !== "string"
  )
    throw invalidParams('completion/complete: "argument" must be { name: string, value: string }');
  const given = context === undefined ? {} : isRecord(context) ? context.arguments : undefined;
  if (
    given !== undefined &&
    (!isRecord(given) || !Object.values(given).every((value) => typeof value === "string"))
  )
    throw invalidParams('completion/complete: "context.arguments" must map names to strings');
  const completer = findCompleter(ref, argument.name, core, scope.auth);
  if (!completer) return { completion: { values: [], total: 0, hasMore: false } };
  const ctx = new Context(scope, core.lifespan);
  const what = `Completer for "${argument.name}"`;
  try {
    const returned = await completer(
      argument.value,
      { arguments: (given ?? {}) as Record<string, string> },
      ctx,
    );
    return { completion: toCompletion(returned, what) };
  } catch (error) {
    if (error instanceof McpError) throw error;
    if (ctx.signal.aborted && error === ctx.signal.reason) throw error;
    core.logger.error(`${what} failed`, error);
    const message = `Error completing "${argument.name}"`;
    throw new McpError(
      ErrorCode.InternalError,
      core.settings.maskErrorDetails
        ? message
        : `${message}: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
}

/** A prompt or template the caller's token may not use is unknown here too, as in its list. */
function findCompleter(
  ref: unknown,
  argument: string,
  core: ServerCore,
  auth: unknown,
): Completer | undefined {
  if (!isRecord(ref)) throw invalidParams('completion/complete: "ref" must be an object');
  if (ref.type === "ref/prompt") {
    if (typeof ref.name !== "string")
      throw invalidParams('completion/complete: "ref.name" must be a string');
    const prompt = core.prompts.get(ref.name);
    if (!prompt || !grants(auth, prompt.options.scopes)) throw unknownPrompt(ref.name);
    return prompt.completer(argument);
  }
  if (ref.type === "ref/resource") {
    if (typeof ref.uri !== "string")
      throw invalidParams('completion/complete: "ref.uri" must be a string');
    const template = core.templates.get(ref.uri);
    if (template && grants(auth, template.options.scopes)) return template.completer(argument);
    // A resource with a fixed URI has no parameters to complete.
    const resource = core.resources.get(ref.uri);
    if (resource && grants(auth, resource.options.scopes)) return undefined;
    const shown = clip(ref.uri);
    throw invalidParams(`Unknown resource template: ${shown}`, { uri: shown });
  }
  throw invalidParams('completion/complete: "ref.type" must be "ref/prompt" or "ref/resource"');
}
