/**
 * One copy of `@opentelemetry/api`. An SDK registered through one minor
 * version of the API is invisible to another (the global is checked for
 * compatibility on every lookup), so if npm installed a second copy for
 * fastmcp-ts, its spans would silently go nowhere. These checks read what
 * `npm install` resolved here from the same package specs a user gives
 * (`fastmcp-ts @opentelemetry/api @opentelemetry/sdk-node`, or the trace
 * and metrics SDK packages), without installing anything.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { trace } from "@opentelemetry/api";
import { openTelemetry } from "../../src/otel/index.ts";
import { detachedScope } from "../../src/protocol/scope.ts";
import { registerSdk } from "./sdk.ts";

const root = join(import.meta.dirname, "../..");
const modules = join(root, "node_modules");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

type Version = [number, number, number];

function parse(version: string): Version {
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The range forms the OpenTelemetry packages and ours use: `^x.y.z`, `>=a <b`, `x.y.z`. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((part) => {
        if (part.startsWith("^")) {
          const base = parse(part.slice(1));
          return compare(v, base) >= 0 && v[0] === base[0];
        }
        if (part.startsWith(">=")) return compare(v, parse(part.slice(2))) >= 0;
        if (part.startsWith("<")) return compare(v, parse(part.slice(1))) < 0;
        return compare(v, parse(part)) === 0;
      }),
  );
}

/** Every installed copy of a package, however deep npm nested it. */
function copiesOf(name: string, dir = modules, found: string[] = []): string[] {
  if (existsSync(join(dir, name, "package.json"))) found.push(join(dir, name));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const packages = entry.name.startsWith("@")
      ? readdirSync(join(dir, entry.name)).map((n) => join(dir, entry.name, n))
      : [join(dir, entry.name)];
    for (const p of packages) {
      const nested = join(p, "node_modules");
      if (existsSync(nested)) copiesOf(name, nested, found);
    }
  }
  return found;
}

function manifest(dir: string): {
  name: string;
  version: string;
  peerDependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
}

test("the API is an optional peer dependency whose range admits every current SDK line", () => {
  const range = pkg.peerDependencies["@opentelemetry/api"];
  assert.ok(range);
  assert.equal(pkg.peerDependenciesMeta["@opentelemetry/api"]?.optional, true);
  // sdk-trace-base 2.x peers on ">=1.3.0 <1.10.0"; the 3.x packages on ">=1.10.0 <1.11.0".
  // A narrower range would make npm refuse one of them, or (with --legacy-peer-deps) install a
  // second API copy, invisible to the SDK; a wider one could take an API 2.x nothing supports.
  for (const admitted of ["1.4.0", "1.9.0", "1.10.0"])
    assert.ok(satisfies(admitted, range), admitted);
  assert.ok(!satisfies("2.0.0", range));
});

test("npm resolved one API copy, which every installed OpenTelemetry package and fastmcp-ts accept", () => {
  const copies = copiesOf("@opentelemetry/api");
  assert.deepEqual(copies, [join(modules, "@opentelemetry/api")], "exactly one copy, hoisted");
  const api = manifest(copies[0] as string).version;
  assert.ok(satisfies(api, pkg.peerDependencies["@opentelemetry/api"] as string), api);
  const sdkPackages = readdirSync(join(modules, "@opentelemetry"))
    .filter((name) => name !== "api")
    .map((name) => manifest(join(modules, "@opentelemetry", name)));
  assert.ok(sdkPackages.some((p) => p.name === "@opentelemetry/sdk-trace"));
  assert.ok(sdkPackages.some((p) => p.name === "@opentelemetry/sdk-metrics"));
  for (const sdk of sdkPackages) {
    const wanted = sdk.peerDependencies?.["@opentelemetry/api"];
    if (wanted)
      assert.ok(satisfies(api, wanted), `${sdk.name}@${sdk.version} wants ${wanted}, has ${api}`);
  }
  // What a user's `npm i @opentelemetry/api` writes (the latest) is what is installed here.
  assert.ok(satisfies(api, pkg.devDependencies["@opentelemetry/api"] as string));
});

test("the SDK and fastmcp-ts/otel load the very same API module", () => {
  const fromSdk = createRequire(join(modules, "@opentelemetry/sdk-trace/package.json")).resolve(
    "@opentelemetry/api",
  );
  const fromUs = createRequire(join(root, "src/otel/index.ts")).resolve("@opentelemetry/api");
  assert.equal(fromSdk, fromUs);
});

test("without an SDK a request gets no trace; once the application registers one, it does", () => {
  const telemetry = openTelemetry();
  const scope = detachedScope("tools/call", { name: "add" }, "2025-11-25", async () => ({
    contents: [],
  }));
  assert.equal(telemetry.startRequest(scope), undefined);
  const sdk = registerSdk();
  // The same telemetry object, made before the SDK: the API's proxy tracer and the meter lookup per request find it.
  const traced = telemetry.startRequest(scope);
  assert.ok(traced);
  traced.end({ jsonrpc: "2.0", id: 0, result: { content: [] } });
  assert.equal(sdk.spans()[0]?.name, "tools/call add");
  assert.ok(trace.getTracerProvider());
});
