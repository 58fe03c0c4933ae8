import type { ServerCore } from "../core.js";
import type { MethodSpec, MethodTable } from "../protocol/engine.js";
import { complete } from "./completion.js";
import { discover, initialize, ping, setLogLevel } from "./lifecycle.js";
import { promptHandlers } from "./prompts.js";
import { resourceHandlers } from "./resources.js";
import { listen } from "./subscriptions.js";
import { cancelTask, getTask, updateTask } from "./tasks.js";
import { callTool, listTools } from "./tools.js";

const LEGACY = ["legacy"] as const;
const MODERN = ["modern"] as const;
const BOTH = ["legacy", "modern"] as const;

/** Every method the server answers, and the eras it answers it in. */
export function methodTable(core: ServerCore): MethodTable {
  const resources = resourceHandlers(core);
  const prompts = promptHandlers(core);
  const table = new Map<string, MethodSpec>([
    ["initialize", { eras: LEGACY, handler: (scope) => initialize(scope, core) }],
    ["ping", { eras: LEGACY, handler: ping }],
    ["logging/setLevel", { eras: LEGACY, handler: (scope) => setLogLevel(scope, core) }],
    [
      "server/discover",
      { eras: MODERN, cacheable: true, handler: (scope) => discover(scope, core) },
    ],
    ["tools/list", { eras: BOTH, cacheable: true, handler: (scope) => listTools(scope, core) }],
    ["tools/call", { eras: BOTH, handler: (scope) => callTool(scope, core) }],
    ["resources/list", { eras: BOTH, cacheable: true, handler: resources.list }],
    ["resources/templates/list", { eras: BOTH, cacheable: true, handler: resources.templates }],
    ["resources/read", { eras: BOTH, cacheable: true, handler: resources.read }],
    ["resources/subscribe", { eras: LEGACY, handler: resources.subscribe }],
    ["resources/unsubscribe", { eras: LEGACY, handler: resources.unsubscribe }],
    ["prompts/list", { eras: BOTH, cacheable: true, handler: prompts.list }],
    ["prompts/get", { eras: BOTH, handler: prompts.get }],
    ["completion/complete", { eras: BOTH, handler: (scope) => complete(scope, core) }],
    ["subscriptions/listen", { eras: MODERN, handler: (scope) => listen(scope, core) }],
    // The tasks extension; tasks/result and tasks/list (v1) are gone, so -32601.
    ["tasks/get", { eras: MODERN, handler: (scope) => getTask(scope, core) }],
    ["tasks/update", { eras: MODERN, handler: (scope) => updateTask(scope, core) }],
    ["tasks/cancel", { eras: MODERN, handler: (scope) => cancelTask(scope, core) }],
  ]);
  return table;
}
