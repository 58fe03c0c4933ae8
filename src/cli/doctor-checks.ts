/**
 * `doctor`'s checks of the endpoint itself: which protocol eras answer, the
 * token given, the Origin and Host rules, CORS.
 */
import {
  type Answer,
  FOREIGN_ORIGIN,
  type HeaderMap,
  isRecord,
  LEGACY_VERSION,
  modernPost,
  oauthErrorText,
  rpcErrorText,
  rpcPost,
  send,
  TIMEOUT_MS,
  Unreachable,
} from "./doctor-http.js";
import type { Report } from "./doctor-report.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** Sends, and turns a network failure into a line of detail instead of an exception. */
async function attempt(url: URL, init: Parameters<typeof send>[1]): Promise<Answer | Unreachable> {
  try {
    return await send(url, init);
  } catch (error) {
    if (error instanceof Unreachable) return error;
    throw error;
  }
}

const statusText = (answer: Answer | Unreachable) =>
  answer instanceof Unreachable
    ? answer.reason
    : `HTTP ${answer.status}${rpcErrorText(answer.json) ? ` (${rpcErrorText(answer.json)})` : ""}`;

const resultOf = (answer: Answer | Unreachable) =>
  !(answer instanceof Unreachable) && isRecord(answer.json) && isRecord(answer.json.result)
    ? answer.json.result
    : undefined;

/** The 2026-07-28 era: `server/discover`, or a `tools/list` answered in the modern shape. */
async function modernEra(url: URL, headers: HeaderMap): Promise<string> {
  const discover = await attempt(url, modernPost("server/discover", headers));
  const found = resultOf(discover);
  if (found !== undefined && Array.isArray(found.supportedVersions))
    return `server/discover: ${found.supportedVersions.join(", ")}`;
  const list = await attempt(url, modernPost("tools/list", headers));
  // A legacy server that ignores _meta may answer tools/list too, but without resultType.
  if (resultOf(list)?.resultType !== undefined)
    return `tools/list answered in the 2026-07-28 shape (server/discover: ${statusText(discover)})`;
  throw new Error(`server/discover: ${statusText(discover)}; tools/list: ${statusText(list)}`);
}

/** The legacy era: initialize, notifications/initialized, then DELETE of the session. */
async function legacyEra(url: URL, headers: HeaderMap): Promise<string[]> {
  const init = await attempt(
    url,
    rpcPost(
      {
        id: "doctor-initialize",
        method: "initialize",
        params: {
          protocolVersion: LEGACY_VERSION,
          capabilities: {},
          clientInfo: { name: "fastmcp-ts doctor", version: "1" },
        },
      },
      headers,
    ),
  );
  const result = resultOf(init);
  if (init instanceof Unreachable || result === undefined)
    throw new Error(`initialize: ${statusText(init)}`);
  const version = String(result.protocolVersion);
  const info = isRecord(result.serverInfo) ? result.serverInfo : {};
  const lines = [`initialize: version ${version}, server ${info.name} ${info.version}`];
  const session = init.headers.get("mcp-session-id");
  const sessionHeaders = {
    ...headers,
    "mcp-protocol-version": version,
    ...(session === null ? {} : { "mcp-session-id": session }),
  };
  const initialized = await attempt(
    url,
    rpcPost({ method: "notifications/initialized" }, sessionHeaders),
  );
  lines.push(`notifications/initialized: ${statusText(initialized)}`);
  if (session === null) {
    lines.push("no session id: a stateless server");
    return lines;
  }
  const ended = await attempt(url, { method: "DELETE", headers: sessionHeaders });
  const code = ended instanceof Unreachable ? 0 : ended.status;
  lines.push(
    code === 405
      ? "session kept until it expires: DELETE is refused (405)"
      : `session ${session.slice(0, 8)}… ended with DELETE: ${statusText(ended)}`,
  );
  return lines;
}

/** Which eras answer: each one's own line; a failure only when neither does. */
export async function checkEras(url: URL, headers: HeaderMap, report: Report): Promise<void> {
  const [modern, legacy] = await Promise.allSettled([
    modernEra(url, headers),
    legacyEra(url, headers),
  ]);
  const why = (outcome: PromiseRejectedResult) => (outcome.reason as Error).message;
  if (modern.status === "fulfilled") report.ok("2026-07-28 era answers", modern.value);
  else
    report.info(
      "2026-07-28 era: no answer; clients of that version fall back or fail",
      why(modern),
    );
  if (legacy.status === "fulfilled") report.ok("legacy era (2025-11-25) answers", ...legacy.value);
  else if (modern.status === "fulfilled")
    report.warn(
      "legacy era (initialize): no answer",
      "serve both eras on the endpoint (a fastmcp-ts server does): most clients today open with initialize",
      why(legacy),
    );
  if (modern.status === "rejected" && legacy.status === "rejected")
    report.fail(
      "no protocol era answers: this is not an MCP endpoint, or not at this path",
      "check the URL's path (fastmcp-ts serves /mcp by default; --path changes it)",
      why(modern),
      why(legacy),
    );
}

/** The token given with --header: accepted, refused, or short of scopes. */
export async function checkToken(
  url: URL,
  headers: HeaderMap,
  resource: string | undefined,
  report: Report,
): Promise<boolean> {
  const answer = await send(url, modernPost("server/discover", headers));
  if (answer.status !== 401 && answer.status !== 403 && answer.status !== 400) {
    report.ok(`token: accepted (HTTP ${answer.status})`);
    return true;
  }
  const why = oauthErrorText(answer);
  report.fail(
    `token: refused (HTTP ${answer.status}${why ? `: ${why}` : ""})`,
    answer.status === 403
      ? "ask the authorization server for the scopes the challenge names"
      : `a token from the listed authorization server whose audience (aud) names ${resource ?? "this server"}, not expired, sent as --header "Authorization: Bearer <token>"`,
  );
  return false;
}

/** Whether a 403 is the endpoint's refusal of the request, not a scope refusal. */
const refused = (answer: Answer) =>
  answer.status === 403 && !/insufficient_scope/.test(answer.headers.get("www-authenticate") ?? "");

/** The DNS rebinding guard: a stranger's Origin refused, the endpoint's own accepted. */
export async function checkOrigin(
  url: URL,
  headers: HeaderMap,
  tokenFirst: boolean,
  report: Report,
): Promise<void> {
  const foreign = await send(
    url,
    modernPost("server/discover", { ...headers, origin: FOREIGN_ORIGIN }),
  );
  const own = await send(url, modernPost("server/discover", { ...headers, origin: url.origin }));
  const guard =
    'refuse Origins the server does not serve with 403 (fastmcp-ts does unless allowedOrigins is "*"; list the ones to accept in allowedOrigins)';
  if (refused(foreign)) {
    if (refused(own))
      report.warn(
        `Origin: its own origin (${url.origin}) is refused too`,
        `accept it: allowedOrigins: ["${url.origin}"]`,
        "a web page served from that origin cannot call the endpoint",
      );
    else report.ok("Origin: a foreign Origin is refused (403), its own accepted");
  } else if (foreign.status === 401 && tokenFirst)
    report.info(
      "Origin: a foreign Origin reaches the token check (401); give a token to see whether it would pass",
    );
  else if (url.protocol === "http:")
    report.warn(
      `Origin: a foreign Origin (${FOREIGN_ORIGIN}) is accepted over plain http (HTTP ${foreign.status})`,
      guard,
      isLoopback(url)
        ? "on loopback, any web page the user opens can reach this server (DNS rebinding)"
        : "any web page can drive this server from its visitors' browsers",
    );
  else
    report.info(
      `Origin: a foreign Origin is accepted (HTTP ${foreign.status}): open to browser apps anywhere; fine for a public endpoint behind a token`,
    );
}

/** A loopback server must refuse a Host it does not serve (fetch cannot set Host; node:http can). */
export async function checkHost(
  url: URL,
  headers: HeaderMap,
  tokenFirst: boolean,
  report: Report,
): Promise<void> {
  if (!isLoopback(url) || url.protocol !== "http:") return;
  const { body, headers: sent } = modernPost("server/discover", headers);
  // Loaded here, not at the top: every command's start-up loads this file, `run`'s included.
  const { request: httpRequest } = await import("node:http");
  const status = await new Promise<number | string>((resolve) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { ...sent, host: "fastmcp-doctor.invalid" }, timeout: TIMEOUT_MS },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (error) => resolve(error.message));
    req.end(body);
  });
  if (status === 403) report.ok("Host: a foreign Host header is refused (403)");
  else if (status === 401 && tokenFirst)
    report.info(
      "Host: a foreign Host header reaches the token check (401); give a token to see whether it would pass",
    );
  else
    report.warn(
      `Host: a foreign Host header is accepted (${typeof status === "number" ? `HTTP ${status}` : status})`,
      "list the host names the server answers to (http.allowedHosts; run() sets them when it listens on loopback)",
      "a page on another domain that resolves to 127.0.0.1 reaches the server (DNS rebinding)",
    );
}

const REQUEST_HEADERS = ["content-type", "mcp-protocol-version", "mcp-session-id", "authorization"];

/** CORS for a browser app's origin: the preflight, and the headers a page must be able to read. */
export async function checkCors(
  url: URL,
  headers: HeaderMap,
  origin: string | undefined,
  protectedServer: boolean,
  report: Report,
): Promise<void> {
  const from = origin ?? FOREIGN_ORIGIN;
  const preflight = await send(url, {
    method: "OPTIONS",
    headers: {
      origin: from,
      "access-control-request-method": "POST",
      "access-control-request-headers": REQUEST_HEADERS.join(", "),
    },
  });
  const actual = await send(url, modernPost("server/discover", { ...headers, origin: from }));
  const allowOrigin = preflight.headers.get("access-control-allow-origin");
  if (allowOrigin === null && actual.headers.get("access-control-allow-origin") === null) {
    report.info(
      `CORS: off for ${from}: browser apps on other origins cannot call the endpoint`,
      ...(origin === undefined
        ? ["to check for a browser app you serve: --origin https://app.example"]
        : []),
    );
    return;
  }
  const list = (value: string | null) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
  const problems: string[] = [];
  const methods = list(preflight.headers.get("access-control-allow-methods"));
  if (!methods.includes("post") && !methods.includes("*"))
    problems.push("the preflight does not allow POST");
  const allowed = list(preflight.headers.get("access-control-allow-headers"));
  const notAllowed = REQUEST_HEADERS.filter((h) => !allowed.includes(h) && !allowed.includes("*"));
  if (notAllowed.length > 0)
    problems.push(`the preflight does not allow the request headers ${notAllowed.join(", ")}`);
  if (actual.headers.get("access-control-allow-origin") === null)
    problems.push(`the POST's answer has no Access-Control-Allow-Origin (HTTP ${actual.status})`);
  const exposed = list(actual.headers.get("access-control-expose-headers"));
  const needed = ["mcp-session-id", ...(protectedServer ? ["www-authenticate"] : [])];
  const hidden = needed.filter((h) => !exposed.includes(h) && !exposed.includes("*"));
  if (hidden.length > 0)
    problems.push(
      `the page cannot read ${hidden.join(", ")} (not in Access-Control-Expose-Headers): no session${protectedServer ? ", no discovery" : ""}`,
    );
  if (problems.length === 0)
    report.ok(
      `CORS: on for ${from} (Access-Control-Allow-Origin: ${allowOrigin ?? actual.headers.get("access-control-allow-origin")}); exposes ${needed.join(", ")}`,
    );
  else
    report.fail(
      `CORS: on for ${from}, but browser clients break`,
      "allow the MCP request headers and expose Mcp-Session-Id, MCP-Protocol-Version and WWW-Authenticate (fastmcp-ts's cors option does both; with your own CORS middleware, set allowedHeaders and exposedHeaders)",
      ...problems,
    );
}
