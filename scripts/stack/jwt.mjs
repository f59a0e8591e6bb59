// ES256 JSON Web Tokens for the local stack: the signing key file, signing, and
// verification. Used by the gateway (to turn the local secret/publishable keys into
// role JWTs, as hosted Supabase's gateway does) and by the local auth server.
// Node's crypto only: no dependency, and the same JWK format GoTrue reads from
// GOTRUE_JWT_KEYS, so the real server can be pointed at the same key file.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const b64url = (buf) => Buffer.from(buf).toString("base64url");

/** Reads the private signing JWK at `path`, creating it (mode 0600) on first use. */
export function loadOrCreateSigningKey(path) {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "ES256", use: "sig", key_ops: ["sign", "verify"] };
    writeFileSync(path, JSON.stringify({ keys: [jwk] }, null, 2) + "\n", { mode: 0o600 });
  }
  const [jwk] = JSON.parse(readFileSync(path, "utf8")).keys;
  return jwk;
}

/** The public half of a private JWK, as published in /.well-known/jwks.json. */
export function publicJwk(privateJwk) {
  const { kty, crv, x, y, kid, alg } = privateJwk;
  return { kty, crv, x, y, kid, alg, use: "sig", key_ops: ["verify"] };
}

/** Signs `claims` with ES256; the header carries the key id so verifiers can pick the JWKS entry. */
export function signJwt(claims, privateJwk) {
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
export function verifyJwt(token, privateJwk, now = Math.floor(Date.now() / 1000)) {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    if (header.alg !== "ES256" || header.kid !== privateJwk.kid) return null;
    const key = createPublicKey({ key: publicJwk(privateJwk), format: "jwk" });
    const ok = verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(parts[2], "base64url"));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (typeof claims.exp !== "number" || claims.exp <= now) return null;
    return claims;
  } catch {
    return null;
  }
}
