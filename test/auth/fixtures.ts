/**
 * Real parts for the verifier tests: key pairs made with jose, tokens it
 * signs, and a JWKS endpoint on loopback that counts its requests and can
 * rotate its keys or fail the ways real ones do.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";

export const ISSUER = "https://auth.example.com";
export const AUDIENCE = "https://mcp.example.com/mcp";

export interface TestKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
  readonly pem: string;
}

export async function makeKey(
  alg = "RS256",
  kid = `kid-${alg}-${Math.random()}`,
): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { alg, kid, privateKey, publicKey, jwk, pem: await exportSPKI(publicKey) };
}

export const nowSec = () => Math.floor(Date.now() / 1000);

/** A token signed by `key`: a valid one for ISSUER and AUDIENCE unless the claims say otherwise. */
export function sign(
  key: TestKey,
  claims: JWTPayload = {},
  header: { kid?: string | undefined; alg?: string } = {},
): Promise<string> {
  const now = nowSec();
  const kid = "kid" in header ? header.kid : key.kid;
  return new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "user-1",
    client_id: "client-1",
    scope: "read write",
    iat: now,
    exp: now + 600,
    jti: `jti-${Math.random()}`,
    ...claims,
  })
    .setProtectedHeader({ alg: header.alg ?? key.alg, ...(kid === undefined ? {} : { kid }) })
    .sign(key.privateKey);
}

export type JwksMode = "ok" | "500" | "garbage" | "not-a-jwks" | "hang";

export interface JwksServer {
  readonly url: string;
  /** How many requests the endpoint answered (or held, when hanging). */
  readonly requests: number;
  keys: JWK[];
  mode: JwksMode;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let requests = 0;
  const state = { keys, mode: "ok" as JwksMode };
  const server: Server = createServer((_req, res) => {
    requests++;
    if (state.mode === "hang") return;
    if (state.mode === "500") {
      res.writeHead(500).end("oops");
      return;
    }
    const body =
      state.mode === "garbage"
        ? "<html>not json"
        : JSON.stringify(state.mode === "not-a-jwks" ? { hello: 1 } : { keys: state.keys });
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get requests() {
      return requests;
    },
    get keys() {
      return state.keys;
    },
    set keys(value) {
      state.keys = value;
    },
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A compact JWS with `alg: none` and no signature, written by hand (jose will not). */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}
