import "server-only";

import { createPublicKey, verify, type KeyObject } from "node:crypto";

import { combineChunks, parseCookieHeader } from "@supabase/ssr";

import { env } from "@/lib/env";
import { sessionCookieName } from "@/lib/supabase/cookie-name";

// The fast path of session authentication for /api/v1. Building a Supabase server client
// and calling getClaims() cost about 0.5 ms per request — more than Next.js spends on the
// whole request (docs/BENCHMARKS.md, scenario d). Here the session cookie is read and its
// access token verified with node:crypto against the project's JWKS, kept in memory: the
// same local check getClaims() does, without building a client per request.
//
// Only a clear "yes" is decided here. Anything else — no usable cookie format, a token
// within the refresh margin or expired, an unknown key id, an algorithm we do not
// handle, a bad signature — goes to the slow path (getClaims through @supabase/ssr),
// which is authoritative and refreshes expiring sessions, writing the new cookies.

const COOKIE = sessionCookieName(env.NEXT_PUBLIC_SUPABASE_URL);
const ISSUER = `${env.NEXT_PUBLIC_SUPABASE_URL}/auth/v1`;
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const JWKS_TTL_MS = 10 * 60_000; // as auth-js
const JWKS_RETRY_MS = 30_000; // an unknown kid refetches at most this often (no kid-spray amplification)
// auth-js refreshes a session this close to expiry; leave those to it so cookies rotate.
const EXPIRY_MARGIN_S = 90;

// Verified tokens, so a browser's repeated requests with one access token cost one
// signature check, not one each. Safe because a JWT cannot change: the entry holds what
// its signature proved, and its expiry is checked again on every use. Emptied whenever
// the key set changes, so a key withdrawn from the JWKS stops counting at once.
const VERIFIED_MAX = 10_000;
const verified = new Map<string, { user: SessionUser; exp: number }>();

export type SessionUser = { id: string; email: string | null };
/** `none`: no session cookie at all. `unsure`: let getClaims() decide. */
export type FastSession = { kind: "valid"; user: SessionUser } | { kind: "none" } | { kind: "unsure" };

type Jwk = { kid?: string; kty?: string; alg?: string; use?: string };
type Keys = { byKid: Map<string, { key: KeyObject; alg: string }>; fetchedAt: number };
let keys: Keys | undefined;
let lastAttempt = 0;
let inflight: Promise<void> | undefined;

async function loadKeys(): Promise<void> {
  lastAttempt = Date.now();
  const res = await fetch(JWKS_URL, { headers: { apikey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY }, signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
  const body = (await res.json()) as { keys?: Jwk[] };
  const byKid = new Map<string, { key: KeyObject; alg: string }>();
  for (const jwk of body.keys ?? []) {
    if (!jwk.kid || (jwk.alg !== "ES256" && jwk.alg !== "RS256") || (jwk.use && jwk.use !== "sig")) continue;
    byKid.set(jwk.kid, { key: createPublicKey({ key: jwk as never, format: "jwk" }), alg: jwk.alg });
  }
  const changed = !keys || keys.byKid.size !== byKid.size || [...byKid.keys()].some((kid) => !keys!.byKid.has(kid));
  if (changed) verified.clear();
  keys = { byKid, fetchedAt: Date.now() };
}

function refresh(): Promise<void> {
  inflight ??= loadKeys().finally(() => {
    inflight = undefined;
  });
  return inflight;
}

/**
 * The verification key for `kid`. Stale keys are used while a refresh runs in the
 * background, and kept when the auth server is unreachable: signing keys are rotated
 * with overlap, so a key we saw minutes ago is still a key the project trusts.
 */
async function keyFor(kid: string) {
  const known = keys?.byKid.get(kid);
  if (known) {
    if (Date.now() - keys!.fetchedAt > JWKS_TTL_MS && Date.now() - lastAttempt > JWKS_RETRY_MS) {
      refresh().catch((e) => console.error("[auth] refreshing the JWKS failed; keeping the cached keys:", e));
    }
    return known;
  }
  if (Date.now() - lastAttempt < JWKS_RETRY_MS && keys) return undefined;
  await refresh().catch((e) => console.error("[auth] fetching the JWKS failed:", e));
  return keys?.byKid.get(kid);
}

const decodeJson = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

function readSession(cookieHeader: string | null): Promise<string | null> | null {
  if (!cookieHeader || !cookieHeader.includes(COOKIE)) return null;
  const jar = new Map(parseCookieHeader(cookieHeader).map((c) => [c.name, c.value ?? ""]));
  return combineChunks(COOKIE, (name) => jar.get(name));
}

export async function sessionFromRequest(request: Request): Promise<FastSession> {
  const raw = await readSession(request.headers.get("cookie"));
  if (raw === null) return { kind: "none" };
  try {
    // Buffer, not @supabase/ssr's stringFromBase64URL: the same bytes, without a
    // per-character JavaScript loop (it showed in the CPU profile).
    const json = raw.startsWith("base64-") ? Buffer.from(raw.slice("base64-".length), "base64url").toString("utf8") : raw;
    const session = JSON.parse(json) as { access_token?: unknown; expires_at?: unknown };
    const token = session.access_token;
    const now = Math.floor(Date.now() / 1000);
    if (typeof token !== "string") return { kind: "unsure" };
    // The session's own expiry is what auth-js refreshes by; near it, let it refresh.
    if (typeof session.expires_at === "number" && session.expires_at - EXPIRY_MARGIN_S <= now) return { kind: "unsure" };

    const known = verified.get(token);
    if (known) return known.exp - EXPIRY_MARGIN_S > now ? { kind: "valid", user: known.user } : { kind: "unsure" };

    const [h, p, s] = token.split(".");
    if (!h || !p || !s) return { kind: "unsure" };
    const header = decodeJson(h);
    if (typeof header.kid !== "string") return { kind: "unsure" };
    const entry = await keyFor(header.kid);
    // The algorithm comes from our key, never from the token's header.
    if (!entry || header.alg !== entry.alg) return { kind: "unsure" };
    const signed = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, "base64url");
    const ok =
      entry.alg === "ES256"
        ? verify("sha256", signed, { key: entry.key, dsaEncoding: "ieee-p1363" }, signature)
        : verify("sha256", signed, entry.key, signature);
    if (!ok) return { kind: "unsure" };
    const claims = decodeJson(p);
    if (typeof claims.exp !== "number" || claims.exp - EXPIRY_MARGIN_S <= now) return { kind: "unsure" };
    if (claims.iss !== ISSUER || typeof claims.sub !== "string" || claims.role !== "authenticated") return { kind: "unsure" };
    const user = { id: claims.sub, email: typeof claims.email === "string" ? claims.email : null };
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { user, exp: claims.exp });
    return { kind: "valid", user };
  } catch {
    return { kind: "unsure" };
  }
}
