/**
 * Which algorithms a JWT verifier accepts, decided at construction from the
 * key it was given. The classic JWT forgeries are choices of algorithm the
 * token makes: `alg: none` (no signature at all) and HS256 "signed" with the
 * server's public key as the HMAC secret. So the allow-list never holds
 * `none`, holds HS* only for a symmetric secret, and is narrowed to what the
 * key can verify, which jose then enforces before it touches the key.
 */
import { importSPKI, type JWTVerifyGetKey, type KeyInput } from "jose";
import { describeValue } from "../util/known-keys.js";

const RSA = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] as const;
const HMAC = ["HS256", "HS384", "HS512"] as const;

/** The algorithms accepted when none are configured: every asymmetric JWS algorithm. */
export const DEFAULT_ALGORITHMS = [...RSA, "ES256", "ES384", "ES512", "EdDSA"] as const;

/** The JWS algorithms a `JWTVerifier` can be configured with. */
export type JWTAlgorithm = (typeof DEFAULT_ALGORITHMS)[number] | "Ed25519" | (typeof HMAC)[number];

const SUPPORTED: ReadonlySet<string> = new Set<JWTAlgorithm>([
  ...DEFAULT_ALGORITHMS,
  "Ed25519",
  ...HMAC,
]);

/** What a key can verify, and how to name it in an error. */
interface KeyTraits {
  readonly usable: readonly string[];
  readonly symmetric: boolean;
  readonly describe: string;
}

/** What jose's jwtVerify is given: the key (or a resolver) and the allow-list. */
export interface VerificationKey {
  readonly key: KeyInput | JWTVerifyGetKey;
  readonly algorithms: readonly string[];
}

/** The configured allow-list, checked: known names, never `none`. */
export function checkAlgorithms(owner: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0)
    throw new TypeError(
      `${owner}: algorithms must be a non-empty array, got ${describeValue(value)}`,
    );
  for (const alg of value) {
    if (typeof alg === "string" && alg.toLowerCase() === "none")
      throw new TypeError(
        `${owner}: algorithms must not contain "none": an unsigned token proves nothing`,
      );
    if (typeof alg !== "string" || !SUPPORTED.has(alg))
      throw new TypeError(
        `${owner}: unsupported algorithm ${describeValue(alg)} (supported: ${[...SUPPORTED].join(", ")})`,
      );
  }
  return [...new Set(value as string[])];
}

/** The allow-list for keys from a JWKS: public keys only, so never HS*. */
export function jwksAlgorithms(owner: string, requested: readonly string[] | undefined): string[] {
  const list = [...(requested ?? DEFAULT_ALGORITHMS)];
  refuseMix(owner, list, false, "a JWKS (public keys)");
  return list;
}

/** The key and allow-list for a configured `publicKey`. */
export function fixedKey(
  owner: string,
  publicKey: unknown,
  requested: readonly string[] | undefined,
): VerificationKey {
  const traits = inspect(owner, publicKey);
  const list = requested ?? (traits.symmetric ? [...HMAC] : [...DEFAULT_ALGORITHMS]);
  refuseMix(owner, list, traits.symmetric, traits.describe);
  const algorithms = list.filter((alg) => traits.usable.includes(alg));
  if (algorithms.length === 0) {
    const usable = traits.usable.length > 0 ? traits.usable.join(", ") : "none";
    const hint = traits.symmetric
      ? "; RFC 7518 §3.2: HSnnn needs a secret of nnn bits or more"
      : "";
    throw new TypeError(
      `${owner}: publicKey (${traits.describe}) verifies none of the algorithms ${list.join(", ")} (it verifies: ${usable}${hint})`,
    );
  }
  let key: KeyInput | JWTVerifyGetKey;
  if (typeof publicKey === "string") key = spkiResolver(publicKey);
  // jose freezes a JWK it is given; a copy keeps the caller's object theirs
  // and makes later changes to it no concern of ours.
  else if (isJwk(publicKey)) key = structuredClone(publicKey) as KeyInput;
  else key = publicKey as KeyInput;
  return { key, algorithms };
}

function refuseMix(owner: string, list: readonly string[], symmetric: boolean, what: string): void {
  const hmac = list.filter((alg) => alg.startsWith("HS"));
  if (!symmetric && hmac.length > 0)
    throw new TypeError(
      `${owner}: ${hmac.join(", ")} cannot be used with ${what}: an HMAC "verified" with a public ` +
        "key lets anyone holding that public key forge tokens. HS* needs publicKey to be a shared " +
        "secret (a Uint8Array).",
    );
  const other = list.filter((alg) => !alg.startsWith("HS"));
  if (symmetric && other.length > 0)
    throw new TypeError(
      `${owner}: ${other.join(", ")} need a public key, but publicKey is ${what} (only HS256, HS384, HS512)`,
    );
}

/** A PEM SPKI key is imported per algorithm (WebCrypto keys are bound to one), once each. */
function spkiResolver(pem: string): JWTVerifyGetKey {
  const imported = new Map<string, ReturnType<typeof importSPKI>>();
  return (header) => {
    // jose has checked `alg` against the allow-list before asking for a key.
    const alg = header.alg;
    let key = imported.get(alg);
    if (key === undefined) {
      key = importSPKI(pem, alg);
      imported.set(alg, key);
    }
    return key;
  };
}

function inspect(owner: string, key: unknown): KeyTraits {
  if (key instanceof Uint8Array) return secret(key.byteLength);
  if (typeof key === "string") return pemTraits(owner, key);
  if (typeof key !== "object" || key === null)
    throw new TypeError(
      `${owner}: publicKey must be a PEM (SPKI) string, a JWK, a CryptoKey, a KeyObject or a Uint8Array secret, got ${describeValue(key)}`,
    );
  const tag = (key as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  if (tag === "CryptoKey") return cryptoKeyTraits(owner, key as CryptoKey);
  if (tag === "KeyObject") return keyObjectTraits(owner, key as NodeKeyObject);
  return jwkTraits(owner, key as Record<string, unknown>);
}

function secret(bytes: number): KeyTraits {
  const usable = HMAC.filter((alg) => bytes * 8 >= Number(alg.slice(2)));
  return { usable, symmetric: true, describe: `a ${bytes}-byte secret` };
}

function asymmetric(usable: readonly string[], describe: string): KeyTraits {
  return { usable, symmetric: false, describe };
}

const CURVES: Readonly<Record<string, string>> = {
  "P-256": "ES256",
  "P-384": "ES384",
  "P-521": "ES512",
};

function curve(name: unknown): KeyTraits {
  const alg = typeof name === "string" && Object.hasOwn(CURVES, name) ? CURVES[name] : undefined;
  return asymmetric(alg === undefined ? [] : [alg], `an EC key on ${String(name)}`);
}

const ED25519 = asymmetric(["EdDSA", "Ed25519"], "an Ed25519 key");

function cryptoKeyTraits(owner: string, key: CryptoKey): KeyTraits {
  if (key.type === "private") throw privateKey(owner);
  // Checked here, or every verification would fail on it, each a 503.
  if (!key.usages.includes("verify"))
    throw new TypeError(`${owner}: publicKey is a CryptoKey without the "verify" usage`);
  const algorithm = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  const bits = algorithm.hash?.name.replace("SHA-", "") ?? "";
  switch (algorithm.name) {
    case "HMAC": {
      const traits = secret(((algorithm as { length?: number }).length ?? 0) / 8);
      return { ...traits, usable: traits.usable.filter((alg) => alg === `HS${bits}`) };
    }
    case "RSASSA-PKCS1-v1_5":
      return asymmetric([`RS${bits}`], `an RSASSA-PKCS1-v1_5 SHA-${bits} CryptoKey`);
    case "RSA-PSS":
      return asymmetric([`PS${bits}`], `an RSA-PSS SHA-${bits} CryptoKey`);
    case "ECDSA":
      return curve(algorithm.namedCurve);
    case "Ed25519":
      return ED25519;
    default:
      return asymmetric([], `a ${algorithm.name} CryptoKey`);
  }
}

/** The parts of Node's KeyObject read here (typed locally: no node:crypto import). */
interface NodeKeyObject {
  readonly type: string;
  readonly asymmetricKeyType?: string;
  readonly asymmetricKeyDetails?: { readonly namedCurve?: string };
  readonly symmetricKeySize?: number;
}

const NODE_CURVES: Readonly<Record<string, string>> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

function keyObjectTraits(owner: string, key: NodeKeyObject): KeyTraits {
  if (key.type === "private") throw privateKey(owner);
  if (key.type === "secret") return secret(key.symmetricKeySize ?? 0);
  switch (key.asymmetricKeyType) {
    case "rsa":
      return asymmetric(RSA, "an RSA KeyObject");
    case "rsa-pss":
      return asymmetric(RSA.slice(3), "an RSA-PSS KeyObject");
    case "ec": {
      const name = key.asymmetricKeyDetails?.namedCurve ?? "";
      return curve(Object.hasOwn(NODE_CURVES, name) ? NODE_CURVES[name] : name);
    }
    case "ed25519":
      return ED25519;
    default:
      return asymmetric([], `a ${String(key.asymmetricKeyType)} KeyObject`);
  }
}

function isJwk(key: unknown): key is Record<string, unknown> {
  return typeof key === "object" && key !== null && !(key instanceof Uint8Array) && "kty" in key;
}

function jwkTraits(owner: string, jwk: Record<string, unknown>): KeyTraits {
  if (!isJwk(jwk))
    throw new TypeError(`${owner}: publicKey is an object but not a JWK (it has no "kty")`);
  if (jwk.d !== undefined || jwk.priv !== undefined) throw privateKey(owner);
  const ops = jwk.key_ops;
  if (
    (jwk.use !== undefined && jwk.use !== "sig") ||
    (Array.isArray(ops) && !ops.includes("verify"))
  )
    throw new TypeError(
      `${owner}: publicKey is a JWK not meant for verifying signatures (use, key_ops)`,
    );
  let traits: KeyTraits;
  if (jwk.kty === "RSA") traits = asymmetric(RSA, "an RSA JWK");
  else if (jwk.kty === "EC") traits = curve(jwk.crv);
  else if (jwk.kty === "OKP" && jwk.crv === "Ed25519") traits = ED25519;
  else if (jwk.kty === "oct" && typeof jwk.k === "string")
    traits = secret(Math.floor((jwk.k.length * 6) / 8));
  else traits = asymmetric([], `a JWK of kty ${describeValue(jwk.kty)}`);
  // A JWK that names its algorithm is meant for that one only (RFC 7517 §4.4).
  if (typeof jwk.alg !== "string") return traits;
  const alg = jwk.alg;
  return { ...traits, usable: traits.usable.filter((usable) => usable === alg) };
}

/** PEM labels that are keys, but not the SPKI public key asked for, with the way to get one. */
const OTHER_PEM: Readonly<Record<string, string>> = {
  "PRIVATE KEY": "is a private key: give the public key",
  "RSA PRIVATE KEY": "is a private key: give the public key",
  "EC PRIVATE KEY": "is a private key: give the public key",
  CERTIFICATE:
    "is an X.509 certificate: give its public key (openssl x509 -pubkey -noout -in cert.pem)",
  "RSA PUBLIC KEY":
    "is a PKCS#1 key: convert it to SPKI (openssl rsa -RSAPublicKey_in -pubout -in key.pem)",
};

function pemTraits(owner: string, pem: string): KeyTraits {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/.exec(pem);
  if (match === null)
    throw new TypeError(
      `${owner}: publicKey is a string but not a PEM key ("-----BEGIN PUBLIC KEY-----")`,
    );
  const label = match[1] ?? "";
  if (label !== "PUBLIC KEY") {
    const advice = Object.hasOwn(OTHER_PEM, label) ? OTHER_PEM[label] : `is a "${label}"`;
    throw new TypeError(`${owner}: publicKey ${advice} in SPKI PEM ("BEGIN PUBLIC KEY")`);
  }
  const kind = spkiKind(match[2] ?? "");
  if (kind === undefined)
    throw new TypeError(`${owner}: publicKey is not a readable SPKI public key`);
  if (kind === "rsa") return asymmetric(RSA, "an RSA public key");
  if (kind === "rsa-pss") return asymmetric(RSA.slice(3), "an RSA-PSS public key");
  if (kind === "ed25519") return ED25519;
  return curve(kind);
}

const SPKI_OIDS: Readonly<Record<string, string>> = {
  "2a864886f70d010101": "rsa",
  "2a864886f70d01010a": "rsa-pss",
  "2b6570": "ed25519",
  "2a8648ce3d030107": "P-256",
  "2b81040022": "P-384",
  "2b81040023": "P-521",
};
const EC_PUBLIC_KEY = "2a8648ce3d0201";

/**
 * The key type of an SPKI (RFC 5280 SubjectPublicKeyInfo): the algorithm
 * OID and, for EC, the curve OID after it. Read here so that a key that can
 * verify nothing configured is an error at construction, not at the first
 * request; WebCrypto's importKey wants the algorithm first.
 */
function spkiKind(body: string): string | undefined {
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const outer = header(der, 0, 0x30);
  const algorithm = outer && header(der, outer.start, 0x30);
  const oid = algorithm && header(der, algorithm.start, 0x06);
  if (!oid) return undefined;
  const hex = hexOf(der.subarray(oid.start, oid.end));
  if (hex !== EC_PUBLIC_KEY) return Object.hasOwn(SPKI_OIDS, hex) ? SPKI_OIDS[hex] : undefined;
  const named = header(der, oid.end, 0x06);
  if (!named) return undefined;
  const curveHex = hexOf(der.subarray(named.start, named.end));
  return Object.hasOwn(SPKI_OIDS, curveHex) ? SPKI_OIDS[curveHex] : undefined;
}

/** A DER element of the expected tag at `at`: where its content starts and ends. */
function header(
  der: Uint8Array,
  at: number,
  tag: number,
): { start: number; end: number } | undefined {
  if (der[at] !== tag) return undefined;
  const first = der[at + 1];
  if (first === undefined) return undefined;
  let length = first;
  let start = at + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
  }
  return start + length <= der.length ? { start, end: start + length } : undefined;
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function privateKey(owner: string): TypeError {
  return new TypeError(
    `${owner}: publicKey is a private key; give the public key (a verifier never needs the private one)`,
  );
}
