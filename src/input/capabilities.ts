import type { InputMethod } from "../protocol/input-channel.js";
import { isRecord } from "../protocol/meta.js";
import type { ClientCapabilities } from "../protocol/types.js";
import { type ProtocolVersion, versionAtLeast } from "../protocol/versions.js";
import { clip } from "../util/echo.js";
import { ClientCapabilityError } from "./errors.js";

/**
 * Refuses to put a request to a client that did not declare it can take it:
 * the spec forbids sending it, and the handler gets an error it can catch.
 */
export function assertClientCan(
  method: InputMethod,
  params: Record<string, unknown> | undefined,
  capabilities: ClientCapabilities,
  version: ProtocolVersion,
): void {
  switch (method) {
    case "elicitation/create":
      assertElicitation(params?.mode === "url" ? "url" : "form", capabilities, version);
      return;
    case "sampling/createMessage":
      assertSampling(params, capabilities, version);
      return;
    case "roots/list":
      if (!isRecord(capabilities.roots)) {
        throw new ClientCapabilityError(
          "The client did not declare the roots capability, so the server cannot list its roots",
          { roots: {} },
        );
      }
  }
}

function assertElicitation(
  mode: "form" | "url",
  capabilities: ClientCapabilities,
  version: ProtocolVersion,
): void {
  const declared = capabilities.elicitation;
  const needed = mode === "url" ? { elicitation: { url: {} } } : { elicitation: {} };
  if (!isRecord(declared)) {
    throw new ClientCapabilityError(
      "The client did not declare the elicitation capability, so the server cannot ask the user",
      needed,
    );
  }
  const since = mode === "url" ? "2025-11-25" : "2025-06-18";
  if (!versionAtLeast(version, since)) {
    throw new ClientCapabilityError(
      `${mode === "url" ? "URL-mode elicitation" : "Elicitation"} needs protocol ${since} or later; this client speaks ${version}`,
      needed,
    );
  }
  // `{}` means form mode only, for compatibility with clients older than 2025-11-25.
  const modes = "form" in declared || "url" in declared ? declared : { form: {} };
  if (!isRecord(modes[mode])) {
    throw new ClientCapabilityError(
      `The client does not support ${mode}-mode elicitation (it declared ${declaredModes(declared)})`,
      { elicitation: { [mode]: {} } },
    );
  }
}

function assertSampling(
  params: Record<string, unknown> | undefined,
  capabilities: ClientCapabilities,
  version: ProtocolVersion,
): void {
  const sampling = capabilities.sampling;
  if (!isRecord(sampling)) {
    throw new ClientCapabilityError(
      "The client did not declare the sampling capability, so the server cannot ask its model",
      { sampling: {} },
    );
  }
  if (
    (params?.tools !== undefined || params?.toolChoice !== undefined) &&
    !isRecord(sampling.tools)
  ) {
    throw new ClientCapabilityError(
      "The client does not support tools in sampling (sampling.tools was not declared)",
      { sampling: { tools: {} } },
    );
  }
  const context = params?.includeContext;
  if (
    (context === "thisServer" || context === "allServers") &&
    versionAtLeast(version, "2025-11-25") &&
    !isRecord(sampling.context)
  ) {
    throw new ClientCapabilityError(
      `The client does not support includeContext "${context}" (sampling.context was not declared)`,
      { sampling: { context: {} } },
    );
  }
}

/** The modes a client's elicitation capability names, for a message (the capability is the client's: any JSON). */
function declaredModes(declared: Record<string, unknown>): string {
  const modes = Object.keys(declared);
  return modes.length === 0 ? "no modes" : `modes ${clip(modes.join(", "))}`;
}
