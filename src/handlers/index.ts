import type { ServerCore } from "../core.js";
import type { MethodSpec, MethodTable } from "../protocol/engine.js";
import { discover, initialize, ping, setLogLevel } from "./lifecycle.js";
import { callTool, listTools } from "./tools.js";

const LEGACY = ["legacy"] as const;
const MODERN = ["modern"] as const;
const BOTH = ["legacy", "modern"] as const;

/** Every method the server answers, and the eras it answers it in. */
export function methodTable(core: ServerCore): MethodTable {
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
  ]);
  return table;
}
