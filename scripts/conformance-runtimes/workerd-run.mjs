// The conformance run on Cloudflare Workers: the 2026-07-28 requirement set
// against examples/conformance-server.ts served by workerd with Node
// compatibility off (conformance-worker.ts, workerd.mjs). Its baseline is
// Node's, conformance/expected-failures-2026-07-28.yml.
import { writeFileSync } from "node:fs";
import { startWorkerd } from "./workerd.mjs";

export const workersRun = {
  name: "workers-2026-07-28",
  title: "alpha, requirement set 2026-07-28, on Cloudflare Workers (workerd)",
  cli: "conformance-alpha",
  args: ["--requirements", "2026-07-28"],
  baseline: "2026-07-28",
  /** Serves the run's own server: `{ url, stop() }`; stop writes workerd's output to logPath. */
  async start(logPath) {
    const worker = await startWorkerd("scripts/conformance-runtimes/conformance-worker.ts");
    return {
      url: `${worker.origin}/mcp`,
      stop: async () => {
        writeFileSync(logPath, worker.log());
        await worker.stop();
      },
    };
  },
};
