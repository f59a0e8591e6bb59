// ES256 JSON Web Tokens: the signing key file, signing, and verification. Used by this
// server, and exported (`@tuned-tensor/auth-server/jwt`) for the stack's gateway, which
// turns the local secret/publishable keys into role JWTs as hosted Supabase's gateway does.
// Node's crypto only: the same JWK format GoTrue reads from GOTRUE_JWT_KEYS, so the real
// server can be pointed at the same key file.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type SigningJwk = JsonWebKey & { kid: string; alg: "ES256" };
export type Claims = Record<string, unknown> & { exp?: number };

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** Reads the private signing JWK at `path`, creating it (mode 0600) on first use. */
export function loadOrCreateSigningKey(path: string): SigningJwk {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "ES256", use: "sig", key_ops: ["sign", "verify"] };
    writeFileSync(path, JSON.stringify({ keys: [jwk] }, null, 2) + "\n", { mode: 0o600 });
  }
  const [jwk] = (JSON.parse(readFileSync(path, "utf8")) as { keys: SigningJwk[] }).keys;
  if (!jwk) throw new Error(`${path} holds no signing key`);
  return jwk;
}

/** The public half of a private JWK, as published in /.well-known/jwks.json. */
export function publicJwk(privateJwk: SigningJwk) {
  const { kty, crv, x, y, kid, alg } = privateJwk;
  return { kty, crv, x, y, kid, alg, use: "sig", key_ops: ["verify"] };
}

/** Signs `claims` with ES256; the header carries the key id so verifiers can pick the JWKS entry. */
export function signJwt(claims: Claims, privateJwk: SigningJwk): string {
  const header = { alg: "ES256", kid: privateJwk.kid, typ: "JWT" };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const key = createPrivateKey({ key: privateJwk, format: "jwk" });
  const sig = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `${input}.${b64url(sig)}`;
}

/**
 * Verifies an ES256 JWT made by signJwt with this key; returns its claims, or null when
 * the signature, algorithm, key id or expiry is wrong.
 */
export function verifyJwt(token: unknown, privateJwk: SigningJwk, now = Math.floor(Date.now() / 1000)): Claims | null {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) return null;
  const [head, body, sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as { alg?: unknown; kid?: unknown };
    if (header.alg !== "ES256" || header.kid !== privateJwk.kid) return null;
    const key = createPublicKey({ key: publicJwk(privateJwk) as JsonWebKey, format: "jwk" });
    const ok = verify("sha256", Buffer.from(`${head}.${body}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(sig, "base64url"));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Claims;
    if (typeof claims.exp !== "number" || claims.exp <= now) return null;
    return claims;
  } catch {
    return null;
  }
}
