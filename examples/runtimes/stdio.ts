/**
 * The example server over stdio, for clients that spawn their server
 * (Claude Desktop, IDEs). The same file runs on Bun, Deno and Node:
 *
 *   bun examples/runtimes/stdio.ts
 *   deno run --node-modules-dir=manual --allow-env="FASTMCP_*" examples/runtimes/stdio.ts
 *   npx tsx examples/runtimes/stdio.ts
 *
 * (Deno from this repository also needs `--sloppy-imports`.) A client's
 * configuration names the command: `{ "command": "bun", "args":
 * ["/path/to/stdio.ts"] }`. Logs go to stderr; stdout carries only messages.
 */
import { createExampleServer } from "./example-server.ts";

await createExampleServer().run();
