import { type Command, stringFlag } from "./command.js";
import { checkDiscovery } from "./doctor-auth.js";
import { checkCors, checkEras, checkHost, checkOrigin, checkToken } from "./doctor-checks.js";
import { type Answer, modernPost, send, Unreachable } from "./doctor-http.js";
import { Report } from "./doctor-report.js";
import { CliError, EXIT } from "./errors.js";

export const doctorCommand: Command = {
  name: "doctor",
  summary: "check a deployed server the way clients will meet it",
  help: `Usage: fastmcp-ts doctor <url> [options]

Checks an MCP endpoint over HTTP the way clients meet it, and prints a
checklist: ✓ passed, ✗ failed (with what to fix), ! warning, · for your
information. Exit code 1 when any check fails.

  reachable       connection refused, DNS, TLS, timeouts (5 s per request)
  protocol eras   2026-07-28 (server/discover) and legacy (initialize, then
                  DELETE of the session)
  Origin, Host    a stranger's Origin refused (403), the endpoint's own accepted;
                  on loopback, a stranger's Host refused
  CORS            the preflight and the headers a browser app must read
  auth            for a server that answers 401: the challenge, the protected
                  resource metadata (where the challenge says, and at both
                  well-known URLs), its resource against the URL given, each
                  authorization server's metadata and issuer, PKCE S256

Options:
  -H, --header <"Name: value">   sent with every request to the endpoint
                                  (repeatable): --header "Authorization: Bearer <token>"
                                  also checks that the token is accepted
  --origin <origin>              the origin of a browser app to check CORS for
  -h, --help                     this text`,
  options: {
    header: { type: "string", short: "H", multiple: true },
    origin: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  async run(parsed, io) {
    const [given, ...extra] = parsed.positionals;
    if (given === undefined)
      throw new CliError("Which server? fastmcp-ts doctor <url>", EXIT.usage);
    if (extra.length > 0)
      throw new CliError(`Unexpected arguments: ${extra.join(" ")}`, EXIT.usage);
    if (!URL.canParse(given) || !/^https?:$/.test(new URL(given).protocol))
      throw new CliError(
        `"${given}" is not an http(s) URL: give the endpoint's URL, as https://mcp.example.com/mcp`,
        EXIT.usage,
      );
    const url = new URL(given);
    const headers = headerFlags(parsed.values.header as string[] | undefined);
    const origin = stringFlag(parsed, "origin");
    if (origin !== undefined && (!URL.canParse(origin) || new URL(origin).origin !== origin))
      throw new CliError(
        `--origin takes an origin, as https://app.example, not "${origin}"`,
        EXIT.usage,
      );

    io.out(`fastmcp-ts doctor ${url.href}\n\n`);
    const report = new Report(io.out);
    try {
      await diagnose(url, headers, origin, report);
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      report.fail(`the server stopped answering: ${error.reason}`, error.fix);
    }
    io.out(`\n${report.summary()}\n`);
    return report.failed ? EXIT.failure : EXIT.ok;
  },
};

/** `--header "Name: value"`, repeatable; names in lower case, as fetch sends them. */
function headerFlags(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values ?? []) {
    const colon = value.indexOf(":");
    const name = colon === -1 ? "" : value.slice(0, colon).trim();
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
      throw new CliError(`--header takes "Name: value", not "${value}"`, EXIT.usage);
    headers[name.toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

async function diagnose(
  url: URL,
  headers: Record<string, string>,
  origin: string | undefined,
  report: Report,
): Promise<void> {
  // The first request goes without the token, as a client's first does: a 401 starts discovery.
  const { authorization, ...anonymous } = headers;
  let first: Answer;
  try {
    first = await send(url, modernPost("server/discover", anonymous));
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    report.fail(`not reachable: ${error.reason}`, error.fix);
    return;
  }
  if (first.status >= 300 && first.status < 400) {
    const location = first.headers.get("location") ?? "nowhere";
    report.fail(
      `the URL redirects (HTTP ${first.status} to ${location})`,
      "give clients (and doctor) the URL the endpoint answers at, without a redirect: clients do not all follow one on POST",
    );
    return;
  }
  report.ok(`reachable: HTTP ${first.status} in ${first.ms} ms`);

  const protectedServer = first.status === 401;
  let tokenWorks = false;
  if (protectedServer) {
    report.info("protected: the endpoint answers 401 without a token");
    const resource = await checkDiscovery(url, first, report);
    if (authorization !== undefined) tokenWorks = await checkToken(url, headers, resource, report);
  } else report.info("not protected: the endpoint answers without a token");

  if (!protectedServer || tokenWorks) await checkEras(url, headers, report);
  else
    report.info(
      "protocol eras: not checked without an accepted token",
      `give one: --header "Authorization: Bearer <token>"`,
    );
  const probeHeaders = tokenWorks || !protectedServer ? headers : anonymous;
  await checkOrigin(url, probeHeaders, protectedServer && !tokenWorks, report);
  await checkHost(url, probeHeaders, protectedServer && !tokenWorks, report);
  await checkCors(url, probeHeaders, origin, protectedServer, report);
}
