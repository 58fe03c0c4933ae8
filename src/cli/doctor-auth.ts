/**
 * `doctor` on a protected server: the discovery chain a client walks from
 * the first 401 to the authorization server (RFC 9728, RFC 8414, OpenID
 * Connect Discovery), checked link by link as the SDK clients check it.
 */
import { tryCanonicalUri } from "../auth/canonical-uri.js";
import { type Answer, isRecord, send, Unreachable } from "./doctor-http.js";
import type { Report } from "./doctor-report.js";

const PRM = "/.well-known/oauth-protected-resource";
const MOUNT_FIX = "docs/auth.md, mounted under a prefix";

type Doc = Record<string, unknown>;

/** A GET for a metadata document: its status, and the document when it is a JSON object. */
async function getDoc(url: string): Promise<{ status: string; doc: Doc | undefined }> {
  try {
    const answer = await send(url, { method: "GET", headers: { accept: "application/json" } });
    const doc = answer.status === 200 && isRecord(answer.json) ? answer.json : undefined;
    const status =
      answer.status === 200 && doc === undefined
        ? "HTTP 200 but not a JSON object"
        : `HTTP ${answer.status}`;
    return { status, doc };
  } catch (error) {
    if (error instanceof Unreachable) return { status: error.reason, doc: undefined };
    throw error;
  }
}

/** The auth-params of the `Bearer` challenge in a `WWW-Authenticate` value, or undefined when it has none. */
export function bearerParams(header: string | null): Map<string, string> | undefined {
  const start = header?.search(/(^|[\s,])Bearer(\s|,|$)/i) ?? -1;
  if (header === null || start === -1) return undefined;
  const params = new Map<string, string>();
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g;
  for (const match of header.slice(start).matchAll(pattern)) {
    const key = (match[1] as string).toLowerCase();
    if (!params.has(key)) params.set(key, (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1"));
  }
  return params;
}

/** The path without its trailing slash, "" for the root: what well-known URLs insert. */
const pathOf = (url: URL) => (url.pathname === "/" ? "" : url.pathname.replace(/\/$/, ""));

/**
 * Checks the chain and returns the resource the metadata names (for the
 * token check's advice), or undefined when the chain broke before it.
 */
export async function checkDiscovery(
  url: URL,
  first: Answer,
  report: Report,
): Promise<string | undefined> {
  const header = first.headers.get("www-authenticate");
  const params = bearerParams(header);
  const named = params?.get("resource_metadata");
  if (params === undefined)
    report.fail(
      `401 challenge: ${header === null ? "no WWW-Authenticate header" : `WWW-Authenticate is not a Bearer challenge (${header})`}`,
      'answer 401 with WWW-Authenticate: Bearer resource_metadata="<metadata URL>" (fastmcp-ts does when auth: { issuerUrl, resourceServerUrl } is set beside tokenVerifier)',
    );
  else if (named === undefined)
    report.warn(
      "401 challenge: Bearer, without resource_metadata",
      "name the metadata in the challenge (fastmcp-ts: set auth: { issuerUrl, resourceServerUrl }); clients fall back to the well-known URLs",
      header ?? "",
    );
  else report.ok(`401 challenge: Bearer with resource_metadata`, named);

  const pathInserted = `${url.origin}${PRM}${pathOf(url)}`;
  const root = `${url.origin}${PRM}`;
  const places = new Map<string, string[]>();
  for (const [where, label] of [
    [named, "named by the 401"],
    [pathInserted, "path-inserted well-known URL"],
    [root, "root well-known URL"],
  ] as const)
    if (where !== undefined) places.set(where, [...(places.get(where) ?? []), label]);

  // A client reads the URL the challenge names, or else the two well-known ones in order.
  let chosen: { where: string; doc: Doc } | undefined;
  for (const [where, labels] of places) {
    const { status, doc } = await getDoc(where);
    const title = `resource metadata (${labels.join(", ")}): ${status}`;
    const used = named === undefined || where === named;
    if (doc !== undefined) {
      report.ok(title, where);
      if (used && chosen === undefined) chosen = { where, doc };
    } else if (where === named) {
      report.fail(title, await metadataFix(url, where), where);
      return undefined;
    } else
      report.info(
        title,
        where,
        named === undefined
          ? "clients try the well-known URLs in turn"
          : "clients that got the challenge do not look here",
      );
  }
  if (chosen === undefined) {
    report.fail(
      "no protected resource metadata where clients look: they cannot find the authorization server",
      await metadataFix(url, pathInserted),
    );
    return undefined;
  }
  return checkMetadata(url, chosen.where, chosen.doc, report);
}

/**
 * Advice for metadata that does not answer where a client looks. Behind a
 * mount prefix the endpoint still serves it relative to the mount: if it
 * answers there, the route is all that is missing.
 */
async function metadataFix(url: URL, where: string): Promise<string> {
  const segments = pathOf(url).split("/").filter(Boolean);
  for (let cut = segments.length - 1; cut >= 1; cut--) {
    const mount = `/${segments.slice(0, cut).join("/")}`;
    const relative = `${url.origin}${mount}${PRM}/${segments.slice(cut).join("/")}`;
    if ((await getDoc(relative)).doc !== undefined)
      return `the endpoint is mounted under ${mount} and serves the metadata at ${relative}, where clients do not look: route GET ${new URL(where).pathname} to the same handler too (e.g. app.get("${new URL(where).pathname}", handler); ${MOUNT_FIX})`;
  }
  return `serve the protected resource metadata (RFC 9728) at ${where}: with fastmcp-ts, set auth: { issuerUrl, resourceServerUrl } and let requests for that path reach the MCP handler`;
}

/** The document a client uses: its resource, its authorization servers, each one's metadata. */
async function checkMetadata(
  url: URL,
  where: string,
  doc: Doc,
  report: Report,
): Promise<string | undefined> {
  const given = tryCanonicalUri(url) ?? url.href;
  const resource = typeof doc.resource === "string" ? doc.resource : undefined;
  const canonical = resource === undefined ? undefined : tryCanonicalUri(resource);
  const fix = `set auth.resourceServerUrl to "${given}", the URL clients use (behind a proxy or a mount prefix: the public URL)`;
  if (resource === undefined || canonical === undefined)
    report.fail(
      `resource: ${resource === undefined ? "missing" : `"${resource}" is not an http(s) URL`} in ${where}`,
      fix,
    );
  else if (canonical === given) report.ok(`resource: ${resource} is the URL given`);
  else if (isPrefix(canonical, given))
    report.warn(
      `resource: ${resource} is a prefix of the URL given (${given})`,
      `${fix}, so tokens name this endpoint exactly`,
      "the SDK clients accept a same-origin prefix; a client that compares exactly refuses it",
    );
  else
    report.fail(
      `resource: ${resource} is not the URL given (${given})`,
      fix,
      "clients refuse this metadata (the SDK: Protected resource ... does not match expected ...) and never ask for a token",
    );

  const servers = Array.isArray(doc.authorization_servers)
    ? doc.authorization_servers.filter((s): s is string => typeof s === "string" && s !== "")
    : [];
  if (servers.length === 0)
    report.fail(
      "authorization_servers: none listed",
      "list the authorization server that issues the tokens (fastmcp-ts: auth.issuerUrl)",
    );
  else report.ok(`authorization_servers: ${servers.join(", ")}`);
  const scopes = Array.isArray(doc.scopes_supported) ? doc.scopes_supported : [];
  if (scopes.includes("offline_access"))
    report.warn(
      "scopes_supported lists offline_access",
      "drop it from the resource's scopes (fastmcp-ts: auth.scopesSupported); refresh tokens are the authorization server's business",
      "clients ask for the scopes listed here, and offline_access is not a scope of this resource",
    );
  for (const issuer of servers) await checkAuthorizationServer(issuer, report);
  return canonical ?? resource;
}

/** Same origin, and the resource's path is the URL's path or a folder above it. */
function isPrefix(resource: string, url: string): boolean {
  const a = new URL(resource);
  const b = new URL(url);
  if (a.origin !== b.origin) return false;
  const path = pathOf(a);
  return path === "" || b.pathname === path || b.pathname.startsWith(`${path}/`);
}

/** Where clients look for an issuer's metadata, in the order the SDKs try them. */
function asMetadataUrls(issuer: URL): string[] {
  const path = pathOf(issuer);
  const urls = [
    `${issuer.origin}/.well-known/oauth-authorization-server${path}`,
    `${issuer.origin}/.well-known/openid-configuration${path}`,
  ];
  if (path !== "") urls.push(`${issuer.origin}${path}/.well-known/openid-configuration`);
  return urls;
}

async function checkAuthorizationServer(issuer: string, report: Report): Promise<void> {
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    report.fail(`authorization server "${issuer}": not an http(s) URL`, "list the issuer URL");
    return;
  }
  const tried: string[] = [];
  for (const where of asMetadataUrls(new URL(issuer))) {
    const { status, doc } = await getDoc(where);
    tried.push(`${where}: ${status}`);
    if (doc === undefined) continue;
    report.ok(`authorization server ${issuer}: metadata at ${where}`);
    checkAsDocument(issuer, doc, report);
    return;
  }
  report.fail(
    `authorization server ${issuer}: no metadata (RFC 8414 or OpenID Connect)`,
    "list the issuer identifier exactly as the authorization server publishes it (its metadata's issuer), and check that it is up",
    ...tried,
  );
}

function checkAsDocument(issuer: string, doc: Doc, report: Report): void {
  if (doc.issuer === issuer) report.ok(`authorization server ${issuer}: issuer identical`);
  else
    report.fail(
      `authorization server ${issuer}: its metadata says issuer ${JSON.stringify(doc.issuer)}`,
      typeof doc.issuer === "string"
        ? `list it exactly as the authorization server spells it, trailing slash included: auth.issuerUrl: "${doc.issuer}"`
        : "the authorization server's metadata must carry its issuer",
      "clients compare the two character for character and refuse the server when they differ (RFC 8414 3.3)",
    );
  const missing = ["authorization_endpoint", "token_endpoint"].filter(
    (key) => typeof doc[key] !== "string",
  );
  const methods = Array.isArray(doc.code_challenge_methods_supported)
    ? doc.code_challenge_methods_supported
    : [];
  if (!methods.includes("S256")) missing.push("code_challenge_methods_supported with S256");
  if (missing.length > 0)
    report.fail(
      `authorization server ${issuer}: metadata lacks ${missing.join(", ")}`,
      "an MCP client needs both endpoints and PKCE with S256, and refuses an authorization server whose metadata does not list S256; configure the provider for the authorization code flow with PKCE",
    );
  else report.ok(`authorization server ${issuer}: authorization and token endpoints, PKCE S256`);
  const registration =
    typeof doc.registration_endpoint === "string"
      ? "dynamic client registration"
      : doc.client_id_metadata_document_supported === true
        ? "client ID metadata documents"
        : undefined;
  report.info(
    `authorization server ${issuer}: client registration: ${registration ?? "neither dynamic registration nor client ID metadata documents; clients need a client id registered ahead"}`,
  );
}
