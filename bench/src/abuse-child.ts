/**
 * The abusers' process (`npm run bench -- --abuse`), forked by abuse.ts:
 * `abuse-child.ts <port> <path> <kind>...`. It starts the abusers, says
 * `started`, and on `stop` stops them and sends back their tallies.
 * A process of its own, so the abusers' work (a thousand connects a wave,
 * megabytes of uploads) does not run on the harness's event loop.
 */
import { ABUSERS, type AbuseKind, type AbuserTally } from "./abusers.ts";

export type ChildMessage =
  | { readonly type: "started" }
  | { readonly type: "stopped"; readonly tallies: Record<string, AbuserTally> };

const [port = "0", path = "/mcp", ...kinds] = process.argv.slice(2);
const abusers = (kinds as AbuseKind[]).map((kind) => ({
  kind,
  abuser: ABUSERS[kind](Number(port), path),
}));
for (const { abuser } of abusers) abuser.start();
const send = (message: ChildMessage) => process.send?.(message);
send({ type: "started" });

process.on("message", (message) => {
  if (message !== "stop") return;
  void Promise.all(abusers.map(({ abuser }) => abuser.stop())).then(() => {
    const tallies: Record<string, AbuserTally> = {};
    for (const { kind, abuser } of abusers) tallies[kind] = abuser.tally;
    // Exit once the tallies are sent: a timer left behind must not keep the process alive.
    process.send?.({ type: "stopped", tallies } satisfies ChildMessage, () => process.exit(0));
  });
});
