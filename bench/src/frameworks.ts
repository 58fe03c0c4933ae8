import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LEGACY_VERSION } from "./messages.ts";
import { BENCH_DIR, ROOT_DIR } from "./paths.ts";

export interface Framework {
  readonly id: string;
  readonly label: string;
  /** The server script under bench/servers. */
  readonly script: string;
  /** What a user installs to serve MCP over Node with it. */
  readonly packages: readonly string[];
  /** Where those packages are installed. */
  readonly modulesDir: string;
  /** One of fastmcp-ts's own servers (judged against the targets, never counted as a peer). */
  readonly ours?: boolean;
  /** A bare server that serves as a floor (the ceiling, or it with zod loaded): never a peer. */
  readonly floor?: boolean;
  /** For our servers: the floor whose start-up and memory they are compared with. */
  readonly baseline?: string;
  /**
   * The protocol version of its legacy requests (workloads, sessions, cold start,
   * stdio) when it refuses LEGACY_VERSION: the newest version it accepts.
   */
  readonly legacyVersion?: string;
  /** Why it has no stdio figure, when it has no stdio transport. */
  readonly noStdio?: string;
}

const BENCH_MODULES = join(BENCH_DIR, "node_modules");

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: "fastmcp-ts",
    label: "fastmcp-ts (zod)",
    script: "fastmcp-ts.mjs",
    packages: ["fastmcp-ts"],
    modulesDir: join(ROOT_DIR, "node_modules"),
    ours: true,
    baseline: "bare-zod",
  },
  // The same server with plain JSON Schema: what fastmcp-ts costs without a
  // schema library (zod alone takes ~60 ms to import and ~10 MB of heap).
  {
    id: "fastmcp-ts-json",
    label: "fastmcp-ts (JSON Schema)",
    script: "fastmcp-ts-json.mjs",
    packages: ["fastmcp-ts"],
    modulesDir: join(ROOT_DIR, "node_modules"),
    ours: true,
    baseline: "bare",
  },
  {
    id: "sdk-v2",
    label: "SDK v2",
    script: "sdk-v2.mjs",
    packages: ["@modelcontextprotocol/server", "@modelcontextprotocol/node"],
    modulesDir: BENCH_MODULES,
  },
  {
    id: "sdk-v1",
    label: "SDK v1",
    script: "sdk-v1.mjs",
    packages: ["@modelcontextprotocol/sdk"],
    modulesDir: BENCH_MODULES,
  },
  {
    id: "tmcp",
    label: "tmcp",
    script: "tmcp.mjs",
    packages: [
      "tmcp",
      "@tmcp/transport-http",
      "@tmcp/adapter-zod",
      "@tmcp/transport-stdio",
      "@remix-run/node-fetch-server",
    ],
    modulesDir: BENCH_MODULES,
  },
  // Refuses 2025-11-25 and 2026-07-28: its legacy workloads run at 2025-06-18,
  // its 2026-07-28 ones show as n/a.
  {
    id: "mcp-lite",
    label: "mcp-lite",
    script: "mcp-lite.mjs",
    packages: ["mcp-lite", "hono", "@hono/node-server"],
    modulesDir: BENCH_MODULES,
    legacyVersion: "2025-06-18",
    noStdio: "no stdio transport",
  },
  {
    id: "fastmcp",
    label: "fastmcp (npm)",
    script: "fastmcp.mjs",
    packages: ["fastmcp"],
    modulesDir: BENCH_MODULES,
  },
  {
    id: "bare",
    label: "bare node:http",
    script: "bare.mjs",
    packages: [],
    modulesDir: BENCH_MODULES,
    floor: true,
  },
  // The ceiling plus importing zod and building the same schemas: the start-up
  // and memory floor of every zod server here (fastmcp-ts (zod) and the peers).
  {
    id: "bare-zod",
    label: "bare node:http + zod",
    script: "bare-zod.mjs",
    packages: [],
    modulesDir: BENCH_MODULES,
    floor: true,
  },
];

export const REFERENCE = "sdk-v2";
export const CEILING = "bare";

/** The protocol version a framework's legacy requests are sent at. */
export function legacyVersionOf(framework: Framework): string {
  return framework.legacyVersion ?? LEGACY_VERSION;
}

/** The installed version of a package (fastmcp-ts: this checkout). */
export function versionOf(name: string, modulesDir: string): string {
  const file =
    name === "fastmcp-ts" ? join(ROOT_DIR, "package.json") : join(modulesDir, name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
