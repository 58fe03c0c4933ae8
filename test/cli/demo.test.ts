/**
 * The README's first command: `npm run demo` starts the demo through
 * `fastmcp-ts run`, from the sources (no build), and tells a newcomer the URL
 * and what to do next. The script's own command line is run (npm adds
 * nothing but a shell), with `--port 0` appended as `npm run demo -- --port 0` would.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT } from "../helpers/clients.ts";

test("npm run demo serves the demo over HTTP through the command and says how to connect", async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const script = pkg.scripts.demo ?? "";
  assert.match(script, /^node --import tsx src\/cli\/bin\.ts run examples\/demo-server\.ts /);
  assert.doesNotMatch(script, /dist\//, "a fresh clone has no dist/");
  const [, ...args] = script.split(" ");
  const child = spawn(process.execPath, [...args, "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${stderr}`)), 20_000);
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const match = /Connect an MCP client to (http:\/\/\S+), or try it: (.*)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited (${code}):\n${stderr}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.ok(
      stderr.includes(
        `npx @modelcontextprotocol/inspector --cli ${url} --transport http --method tools/list`,
      ),
      stderr,
    );
    const client = new Client({ name: "newcomer", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      ["add", "long_task", "get_weather"],
    );
    await client.close();
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  assert.match(
    readme.slice(0, 600),
    /npm install && npm run demo +# serve the demo at http:\/\/127\.0\.0\.1:8000\/mcp/,
  );
});
