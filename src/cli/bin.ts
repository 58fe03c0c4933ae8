#!/usr/bin/env node
/** The `fastmcp-ts` executable (package.json `bin`). */
import { main } from "./main.js";

const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
// The exit code is set, not forced: a server's last writes still flush.
process.exitCode = code;
