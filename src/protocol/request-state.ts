import { base64UrlToBytes, bytesToBase64Url } from "../util/base64.js";
import { invalidParams } from "./errors.js";

/**
 * Seals 2026-07-28 `requestState` so it can travel through the client and
 * come back unchanged: AES-256-GCM (authenticated encryption) with a key
 * derived from the server secret by HKDF-SHA256. Any change to the token
 * fails decryption; the client can neither read nor forge it. Web Crypto
 * only, so it runs wherever the core runs.
 */
export class RequestStateSealer {
  readonly #secret: Uint8Array<ArrayBuffer>;
  #key: Promise<CryptoKey> | undefined;

  constructor(secret: string | Uint8Array) {
    // A copy: the caller's buffer may change or be shared.
    this.#secret =
      typeof secret === "string" ? new TextEncoder().encode(secret) : new Uint8Array(secret);
    if (this.#secret.byteLength < 16) {
      throw new TypeError(
        "requestStateSecret must be at least 16 bytes (32 random bytes recommended)",
      );
    }
  }

  async seal(payload: unknown): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const plain = new TextEncoder().encode(JSON.stringify(payload));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: AAD },
        await this.#cryptoKey(),
        plain,
      ),
    );
    const token = new Uint8Array(IV_BYTES + sealed.byteLength);
    token.set(iv);
    token.set(sealed, IV_BYTES);
    return `${PREFIX}${bytesToBase64Url(token)}`;
  }

  /** The sealed payload, or `undefined` when the token was not sealed by this secret or was changed. */
  async open(token: string): Promise<unknown> {
    if (!token.startsWith(PREFIX)) return undefined;
    const bytes = base64UrlToBytes(token.slice(PREFIX.length));
    if (!bytes || bytes.byteLength <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: AAD },
        await this.#cryptoKey(),
        bytes.subarray(IV_BYTES),
      );
      return JSON.parse(new TextDecoder().decode(plain));
    } catch {
      return undefined;
    }
  }

  #cryptoKey(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle
      .importKey("raw", this.#secret, "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: SALT, info: AAD },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    return this.#key;
  }
}

const PREFIX = "fmcp1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = new TextEncoder().encode("fastmcp-ts requestState");
const AAD = new TextEncoder().encode("fastmcp-ts/requestState/v1");

/** A fresh random secret, for servers that were given none (single process only). */
export function randomSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** SHA-256 of the canonical JSON of `value`, base64url: equal for equal JSON whatever the key order. */
export async function digest(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return bytesToBase64Url(hash.subarray(0, 18));
}

/**
 * How deep a digested value may nest. A round digests the client's params,
 * which may nest as deep as the parser allowed; recursing into them would
 * overflow the stack (a -32603 and an ERROR log for the client's mistake).
 * Tool arguments nest at most 100 levels, so no valid request comes near.
 */
const MAX_DIGEST_DEPTH = 200;

/** JSON with object keys sorted at every level, so digests do not depend on key order. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (depth >= MAX_DIGEST_DEPTH)
    throw invalidParams(`Invalid params: nested too deeply (more than ${MAX_DIGEST_DEPTH} levels)`);
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item, depth + 1)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`).join(",")}}`;
}
